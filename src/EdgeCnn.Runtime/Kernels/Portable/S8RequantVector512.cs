using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// The single-rounding requantization on 16 int32 lanes through the portable Vector512 API (AVX-512 where the JIT
/// accelerates it, otherwise the API's own fallback over two 256-bit halves, which is how it runs and is tested on an
/// AVX2 host), bit-exact with FixedPoint.MultiplyByQuantizedMultiplierSingleRounding: the same arithmetic as
/// S8RequantAvx2. The API has no per-lane shift, so x * 2^left is a wrapping multiply by the precomputed 2^left, and
/// the per-lane arithmetic right shift is composed from the five bits of the shift count.
/// </summary>
public static unsafe class S8RequantVector512
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Apply(Vector512<int> acc, in S8RequantView q)
    {
        Vector512<int> x = acc * Vector512.Load(q.LeftFactor);
        Vector512<int> m = Vector512.Load(q.Multiplier);
        (Vector512<long> x0, Vector512<long> x1) = Vector512.Widen(x);
        (Vector512<long> m0, Vector512<long> m1) = Vector512.Widen(m);
        (Vector512<long> n0, Vector512<long> n1) = Vector512.Widen(Vector512.Load(q.Nudge));
        Vector512<int> high = Vector512.Narrow(Vector512.ShiftRightArithmetic((x0 * m0) + n0, 31),
            Vector512.ShiftRightArithmetic((x1 * m1) + n1, 31));
        Vector512<int> y = ShiftRightArithmetic(high, Vector512.Load(q.RightShift));
        y -= Vector512.GreaterThan(high & Vector512.Load(q.RoundBit), Vector512<int>.Zero);
        y += Vector512.Create(q.OutputZeroPoint);
        return Vector512.Min(Vector512.Max(y, Vector512.Create(q.Min)), Vector512.Create(q.Max));
    }

    /// <summary>v >> s per lane (s in 0..31): the composition of the shifts by 1, 2, 4, 8, 16 that s's bits select.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftRightArithmetic(Vector512<int> v, Vector512<int> s)
    {
        v = Vector512.ConditionalSelect(Vector512.Equals(s & Vector512.Create(1), Vector512<int>.Zero), v, Vector512.ShiftRightArithmetic(v, 1));
        v = Vector512.ConditionalSelect(Vector512.Equals(s & Vector512.Create(2), Vector512<int>.Zero), v, Vector512.ShiftRightArithmetic(v, 2));
        v = Vector512.ConditionalSelect(Vector512.Equals(s & Vector512.Create(4), Vector512<int>.Zero), v, Vector512.ShiftRightArithmetic(v, 4));
        v = Vector512.ConditionalSelect(Vector512.Equals(s & Vector512.Create(8), Vector512<int>.Zero), v, Vector512.ShiftRightArithmetic(v, 8));
        return Vector512.ConditionalSelect(Vector512.Equals(s & Vector512.Create(16), Vector512<int>.Zero), v, Vector512.ShiftRightArithmetic(v, 16));
    }

    /// <summary>Stores the first <paramref name="count"/> (1..16) lanes of v (each already inside int8) as int8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(sbyte* y, Vector512<int> v, int count)
    {
        for (int i = 0; i < count; i++)
        {
            y[i] = (sbyte)v.GetElement(i);
        }
    }

    /// <summary>y[i] = requantize(acc[i]) for channels i of q, every length (the tail through a full vector on a copy).</summary>
    public static void Row(int* acc, sbyte* y, int count, S8RequantView q)
    {
        int i = 0;
        for (; i + 16 <= count; i += 16)
        {
            Store(y + i, Apply(Vector512.Load(acc + i), q.Offset(i)), 16);
        }

        if (i < count)
        {
            int* tail = stackalloc int[16];
            for (int j = 0; j < 16; j++)
            {
                tail[j] = i + j < count ? acc[i + j] : 0;
            }

            Store(y + i, Apply(Vector512.Load(tail), q.Offset(i)), count - i);
        }
    }
}
