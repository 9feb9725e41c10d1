using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>The requantization constants of 8 channels as vectors (see <see cref="S8RequantAvx2.Apply(Vector256{int}, in S8RequantAvx2Constants)"/>).</summary>
[StructLayout(LayoutKind.Auto)]
public readonly unsafe struct S8RequantAvx2Constants
{
    public readonly Vector256<uint> LeftShift;
    public readonly Vector256<int> Multiplier;
    public readonly Vector256<int> MultiplierOdd;
    public readonly Vector256<uint> RightShift;
    public readonly Vector256<int> RoundBit;
    public readonly Vector256<int> OutputZeroPoint;
    public readonly Vector256<int> Min;
    public readonly Vector256<int> Max;
    public readonly Vector256<long> NudgeEven;
    public readonly Vector256<long> NudgeOdd;

    /// <summary>Channels q.. (8 of them; the rows are padded, so reading one channel on for the odd multipliers is safe).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public S8RequantAvx2Constants(in S8RequantView q)
    {
        LeftShift = Avx.LoadVector256((uint*)q.LeftShift);
        Multiplier = Avx.LoadVector256(q.Multiplier);
        MultiplierOdd = Avx.LoadVector256(q.Multiplier + 1);
        RightShift = Avx.LoadVector256((uint*)q.RightShift);
        RoundBit = Avx.LoadVector256(q.RoundBit);
        OutputZeroPoint = Vector256.Create(q.OutputZeroPoint);
        Min = Vector256.Create(q.Min);
        Max = Vector256.Create(q.Max);
        Vector256<long> nudge = Avx.LoadVector256(q.Nudge).AsInt64(); // the nudge row's dwords zero-extended to the matching qwords
        NudgeEven = Avx2.And(nudge, Vector256.Create(0xFFFF_FFFFL));
        NudgeOdd = Avx2.ShiftRightLogical(nudge, 32);
    }
}
