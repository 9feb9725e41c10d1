using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// The single-rounding requantization on 4 int32 lanes through the portable Vector128 API (SSE on x64, AdvSimd on ARM,
/// software elsewhere), bit-exact with FixedPoint.MultiplyByQuantizedMultiplierSingleRounding: the same arithmetic as
/// S8RequantAvx2. The API has no per-lane shift, so x * 2^left is a wrapping multiply by the precomputed 2^left, and
/// the per-lane arithmetic right shift is composed from the five bits of the shift count.
/// </summary>
public static unsafe class S8RequantVector128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Apply(Vector128<int> acc, in S8RequantView q)
    {
        Vector128<int> x = acc * Vector128.Load(q.LeftFactor);
        Vector128<int> m = Vector128.Load(q.Multiplier);
        (Vector128<long> x0, Vector128<long> x1) = Vector128.Widen(x);
        (Vector128<long> m0, Vector128<long> m1) = Vector128.Widen(m);
        (Vector128<long> n0, Vector128<long> n1) = Vector128.Widen(Vector128.Load(q.Nudge));
        Vector128<int> high = Vector128.Narrow(Vector128.ShiftRightArithmetic((x0 * m0) + n0, 31),
            Vector128.ShiftRightArithmetic((x1 * m1) + n1, 31));
        Vector128<int> y = ShiftRightArithmetic(high, Vector128.Load(q.RightShift));
        y -= Vector128.GreaterThan(high & Vector128.Load(q.RoundBit), Vector128<int>.Zero);
        y += Vector128.Create(q.OutputZeroPoint);
        return Vector128.Min(Vector128.Max(y, Vector128.Create(q.Min)), Vector128.Create(q.Max));
    }

    /// <summary>v >> s per lane (s in 0..31): the composition of the shifts by 1, 2, 4, 8, 16 that s's bits select.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftRightArithmetic(Vector128<int> v, Vector128<int> s)
    {
        v = Vector128.ConditionalSelect(Vector128.Equals(s & Vector128.Create(1), Vector128<int>.Zero), v, Vector128.ShiftRightArithmetic(v, 1));
        v = Vector128.ConditionalSelect(Vector128.Equals(s & Vector128.Create(2), Vector128<int>.Zero), v, Vector128.ShiftRightArithmetic(v, 2));
        v = Vector128.ConditionalSelect(Vector128.Equals(s & Vector128.Create(4), Vector128<int>.Zero), v, Vector128.ShiftRightArithmetic(v, 4));
        v = Vector128.ConditionalSelect(Vector128.Equals(s & Vector128.Create(8), Vector128<int>.Zero), v, Vector128.ShiftRightArithmetic(v, 8));
        return Vector128.ConditionalSelect(Vector128.Equals(s & Vector128.Create(16), Vector128<int>.Zero), v, Vector128.ShiftRightArithmetic(v, 16));
    }

    /// <summary>Stores the first <paramref name="count"/> (1..4) lanes of v (each already inside int8) as int8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(sbyte* y, Vector128<int> v, int count)
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
        for (; i + 4 <= count; i += 4)
        {
            Store(y + i, Apply(Vector128.Load(acc + i), q.Offset(i)), 4);
        }

        if (i < count)
        {
            int* tail = stackalloc int[4];
            for (int j = 0; j < 4; j++)
            {
                tail[j] = i + j < count ? acc[i + j] : 0;
            }

            Store(y + i, Apply(Vector128.Load(tail), q.Offset(i)), count - i);
        }
    }
}
