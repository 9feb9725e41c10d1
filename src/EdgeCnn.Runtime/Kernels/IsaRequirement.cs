using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// What a kernel needs of the CPU. The Vector* flags mean the portable System.Runtime.Intrinsics vector API at that width:
/// such code runs correctly on any CPU (the runtime emulates an unaccelerated width in software, slowly), so a test can force
/// it; the kernel is only chosen by default where the width is accelerated. The ISA-specific flags (Avx2, Fma, Avx512*,
/// AvxVnni, AdvSimd, Dp) mean the kernel calls that instruction-set class directly: it must never run where unsupported
/// (NativeAOT aborts on an unsupported instruction instead of throwing).
/// </summary>
[Flags]
public enum IsaRequirement
{
    /// <summary>Scalar code: runs everywhere (the reference kernels).</summary>
    None = 0,

    Vector128 = 1 << 0,
    Vector256 = 1 << 1,
    Vector512 = 1 << 2,

    Fma = 1 << 8,
    Avx2 = 1 << 9,
    Avx512F = 1 << 10,
    Avx512BW = 1 << 11,
    AvxVnni = 1 << 12,
    AdvSimd = 1 << 13,
    ArmDp = 1 << 14,
}

/// <summary>The CPU features of this process, read once. Plan asks; Run never does.</summary>
public static class IsaSupport
{
    /// <summary>Flags whose code the runtime can execute on any CPU (emulating what is not accelerated).</summary>
    public const IsaRequirement Portable = IsaRequirement.Vector128 | IsaRequirement.Vector256 | IsaRequirement.Vector512;

    /// <summary>Every flag this process has in hardware.</summary>
    public static IsaRequirement Available { get; } = Detect();

    /// <summary>True when every flag of <paramref name="requirement"/> is accelerated here: the kernel may be chosen by default.</summary>
    public static bool IsSupported(IsaRequirement requirement) => (requirement & ~Available) == IsaRequirement.None;

    /// <summary>True when the kernel can execute here at all, accelerated or emulated: tests and benchmarks may force it.</summary>
    public static bool CanExecute(IsaRequirement requirement) => (requirement & ~(Available | Portable)) == IsaRequirement.None;

    /// <summary>The flags as text, e.g. "Vector128, Vector256, Fma, Avx2" (for reports and test messages).</summary>
    public static string Describe(IsaRequirement flags) => flags == IsaRequirement.None ? "None" : flags.ToString();

    private static IsaRequirement Detect()
    {
        IsaRequirement r = IsaRequirement.None;
        r |= Vector128.IsHardwareAccelerated ? IsaRequirement.Vector128 : IsaRequirement.None;
        r |= Vector256.IsHardwareAccelerated ? IsaRequirement.Vector256 : IsaRequirement.None;
        r |= Vector512.IsHardwareAccelerated ? IsaRequirement.Vector512 : IsaRequirement.None;
        r |= Fma.IsSupported || AdvSimd.IsSupported ? IsaRequirement.Fma : IsaRequirement.None;
        r |= Avx2.IsSupported ? IsaRequirement.Avx2 : IsaRequirement.None;
        r |= Avx512F.IsSupported ? IsaRequirement.Avx512F : IsaRequirement.None;
        r |= Avx512BW.IsSupported ? IsaRequirement.Avx512BW : IsaRequirement.None;
        r |= AvxVnni.IsSupported ? IsaRequirement.AvxVnni : IsaRequirement.None;
        r |= AdvSimd.IsSupported ? IsaRequirement.AdvSimd : IsaRequirement.None;
        r |= Dp.IsSupported ? IsaRequirement.ArmDp : IsaRequirement.None;
        return r;
    }
}
