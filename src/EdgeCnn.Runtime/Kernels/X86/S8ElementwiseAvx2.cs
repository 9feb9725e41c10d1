using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// int8 element-wise rows on AVX2, 8 elements per step through int32 lanes, bit-exact with the reference: rescaling by
/// one per-tensor multiplier (concat / pooling requantization), and TFLite's quantized Add / Sub. The arithmetic is
/// S8RequantAvx2's with uniform shift counts (vpslld / vpsrad by a register). The last 1..7 elements go through a copy.
/// </summary>
public static unsafe class S8ElementwiseAvx2
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>MultiplyByQuantizedMultiplier(x, M, shift) on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Multiply(Vector256<int> x, in S8Rescale r)
    {
        x = Avx2.ShiftLeftLogical(x, Vector128.CreateScalar(r.LeftShift));
        Vector256<int> m = Vector256.Create(r.Multiplier);
        Vector256<long> nudge = Vector256.Create(1L << 30);
        Vector256<long> even = Avx2.Add(Avx2.Multiply(x, m), nudge);
        Vector256<long> odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(), m), nudge);
        Vector256<int> high = Avx2.Blend(Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(odd, 1).AsInt32(), 0b1010_1010);
        Vector256<int> remainder = Avx2.And(high, Vector256.Create(r.RoundMask));
        Vector256<int> threshold = Avx2.Subtract(Vector256.Create(r.RoundHalf), Avx2.ShiftRightArithmetic(high, 31));
        Vector256<int> y = Avx2.ShiftRightArithmetic(high, Vector128.CreateScalar(r.RightShift));
        return Avx2.Subtract(y, Avx2.CompareGreaterThan(remainder, threshold));
    }

    /// <summary>y[i] = clamp(z_y + MultiplyByQuantizedMultiplier(x[i] - z_x, M), -128, 127) (concat's and max pool's requantize).</summary>
    public static void RequantizeRow(sbyte* x, sbyte* y, int count, int inputZeroPoint, int outputZeroPoint, S8Rescale r)
    {
        Vector256<int> zx = Vector256.Create(inputZeroPoint), zy = Vector256.Create(outputZeroPoint);
        int i = 0;
        for (; i + 8 <= count; i += 8)
        {
            Vector256<int> v = Avx2.Add(Multiply(Avx2.Subtract(Avx2.ConvertToVector256Int32(x + i), zx), r), zy);
            S8RequantAvx2.Store(y + i, Clamp(v), 8);
        }

        if (i < count)
        {
            long tail = Tail(x + i, count - i);
            Vector256<int> v = Avx2.Add(Multiply(Avx2.Subtract(Avx2.ConvertToVector256Int32((sbyte*)&tail), zx), r), zy);
            S8RequantAvx2.Store(y + i, Clamp(v), count - i);
        }
    }

    /// <summary>y[i] = a[i] +- b[i] in TFLite's quantized arithmetic (the reference AddS8), every length; y may be a.</summary>
    public static void AddRow(sbyte* a, sbyte* b, sbyte* y, int count, in S8AddParams p)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8)
        {
            S8RequantAvx2.Store(y + i, Add(Avx2.ConvertToVector256Int32(a + i), Avx2.ConvertToVector256Int32(b + i), p), 8);
        }

        if (i < count)
        {
            long ta = Tail(a + i, count - i), tb = Tail(b + i, count - i);
            S8RequantAvx2.Store(y + i, Add(Avx2.ConvertToVector256Int32((sbyte*)&ta), Avx2.ConvertToVector256Int32((sbyte*)&tb), p), count - i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Add(Vector256<int> a, Vector256<int> b, in S8AddParams p)
    {
        // (q - z) << 20 stays below 2^28 in magnitude; each rescaled term is at most that, so the sum cannot overflow.
        Vector256<int> sa = Multiply(Avx2.ShiftLeftLogical(Avx2.Subtract(a, Vector256.Create(p.ZeroA)), Reference.AddS8.LeftShift), p.A);
        Vector256<int> sb = Multiply(Avx2.ShiftLeftLogical(Avx2.Subtract(b, Vector256.Create(p.ZeroB)), Reference.AddS8.LeftShift), p.B);
        Vector256<int> raw = p.Subtract ? Avx2.Subtract(sa, sb) : Avx2.Add(sa, sb);
        return Clamp(Avx2.Add(Multiply(raw, p.Y), Vector256.Create(p.ZeroY)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Clamp(Vector256<int> v) => Avx2.Min(Avx2.Max(v, Vector256.Create(-128)), Vector256.Create(127));

    /// <summary>The last 1..7 bytes of a row, zero above; nothing past the row is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Tail(sbyte* p, int n)
    {
        long bits = 0;
        for (int k = n - 1; k >= 0; k--)
        {
            bits = (bits << 8) | (byte)p[k];
        }

        return bits;
    }
}
