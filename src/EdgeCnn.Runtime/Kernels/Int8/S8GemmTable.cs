using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>Builds a planned int8 convolution on one microkernel (see S8ConvGemm's constructor).</summary>
public unsafe delegate Kernel S8ConvFactory(sbyte* x, sbyte* y, ConvGeometry g, ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias, Int8Requant requant);

/// <summary>Builds a planned int8 Dense on one microkernel.</summary>
public unsafe delegate Kernel S8DenseFactory(sbyte* x, sbyte* y, int rows, int k, int outputs, ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias,
    Int8Requant requant);

/// <summary>One int8 GEMM microkernel: its name part, whether this CPU runs it, whether Plan may choose it, its factories.</summary>
public sealed class S8GemmEntry(string suffix, bool isSupported, bool selectable, int mr, int nr, S8ConvFactory conv, S8DenseFactory dense)
{
    /// <summary>Tile and ISA, e.g. "4x8c4-minmax-avx2".</summary>
    public string Suffix { get; } = suffix;

    /// <summary>The CPU (as the runtime sees it, after DOTNET_Enable* switches) executes it.</summary>
    public bool IsSupported { get; } = isSupported;

    /// <summary>Plan may pick it: supported and worth running here (test-only emulations and unaccelerated Vector512 are not).</summary>
    public bool Selectable { get; } = selectable;

    public int Mr { get; } = mr;

    public int Nr { get; } = nr;

    public S8ConvFactory Conv { get; } = conv;

    public S8DenseFactory Dense { get; } = dense;

    public override string ToString() => Suffix;
}

/// <summary>
/// The int8 GEMM microkernels, best first. Plan takes the first selectable one; tests run every supported one against
/// the reference kernels; benchmarks time them.
/// </summary>
public static unsafe class S8GemmTable
{
    public static readonly S8GemmEntry[] All =
    [
        Entry<S8Gemm4x16c4U8<AvxVnniDpbusd>>(selectable: true),
        Entry<S8Gemm4x8c4Avx2>(selectable: true),
        Entry<S8Gemm4x16c4Vector512>(selectable: Vector512.IsHardwareAccelerated),
        Entry<S8Gemm4x8c4Vector128>(selectable: true),
        // The VNNI kernel with VPDPBUSD emulated: checks its packing and u8 correction where AVX-VNNI is absent. Never planned.
        Entry<S8Gemm4x16c4U8<Avx2DpbusdEmulation>>(selectable: false),
    ];

    /// <summary>The kernel Plan uses on this CPU (the portable Vector128 one is always there).</summary>
    public static S8GemmEntry Best { get; } = Array.Find(All, e => e.Selectable)!;

    private static S8GemmEntry Entry<T>(bool selectable)
        where T : struct, IS8GemmMicrokernel =>
        new(T.Suffix, T.IsSupported, selectable && T.IsSupported, T.Mr, T.Nr,
            (x, y, g, w, bias, requant) => new S8ConvGemm<T>(x, y, g, w, bias, requant),
            (x, y, rows, k, outputs, w, bias, requant) => new S8ConvGemm<T>(x, y, rows, k, outputs, w, bias, requant));
}
