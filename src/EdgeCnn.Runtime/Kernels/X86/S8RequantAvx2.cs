using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// The single-rounding requantization (FixedPoint.MultiplyByQuantizedMultiplierSingleRounding, then + z_y and the clamp)
/// on 8 int32 lanes with AVX2, bit-exact with the scalar reference:
/// <list type="bullet">
/// <item>x * 2^left with vpsllvd (wraps like the reference's unchecked multiply);</item>
/// <item>h = bits 31..62 of x * M + nudge in 64 bits, nudge = 2^30 where right == 0 (the rounding itself) and 0
/// otherwise (h = floor(p / 2^31)). vpmuldq multiplies the even lanes; the odd lanes are shifted down first, and the
/// nudge row's dwords are zero-extended to the matching qwords;</item>
/// <item>y = (h >> right) + (h &amp; 2^(right-1) != 0) with vpsravd: one rounding, half up, of p / 2^(31+right).</item>
/// </list>
/// </summary>
public static unsafe class S8RequantAvx2
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Requantizes 8 accumulators of channels q.., clamped to [Min, Max] (still int32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Apply(Vector256<int> acc, in S8RequantView q)
    {
        Vector256<int> x = Avx2.ShiftLeftLogicalVariable(acc, Avx.LoadVector256((uint*)q.LeftShift));
        Vector256<int> m = Avx.LoadVector256(q.Multiplier);
        Vector256<long> nudge = Avx.LoadVector256(q.Nudge).AsInt64();
        Vector256<long> even = Avx2.Add(Avx2.Multiply(x, m), Avx2.And(nudge, Vector256.Create(0xFFFF_FFFFL)));
        Vector256<long> odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(),
            Avx2.ShiftRightLogical(m.AsInt64(), 32).AsInt32()), Avx2.ShiftRightLogical(nudge, 32));
        // Bits 31..62 of each product: shifted down into the low dword for even lanes, up into the high dword for odd ones.
        Vector256<int> high = Avx2.Blend(Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(odd, 1).AsInt32(), 0b1010_1010);
        Vector256<int> roundUp = Avx2.CompareGreaterThan(Avx2.And(high, Avx.LoadVector256(q.RoundBit)), Vector256<int>.Zero);
        Vector256<int> y = Avx2.Subtract(Avx2.ShiftRightArithmeticVariable(high, Avx.LoadVector256((uint*)q.RightShift)), roundUp);
        y = Avx2.Add(y, Vector256.Create(q.OutputZeroPoint));
        return Avx2.Min(Avx2.Max(y, Vector256.Create(q.Min)), Vector256.Create(q.Max));
    }

    /// <summary>The 8 low bytes hold the 8 lanes of v (each already inside int8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Narrow(Vector256<int> v)
    {
        Vector128<short> s = Sse2.PackSignedSaturate(v.GetLower(), v.GetUpper());
        return Sse2.PackSignedSaturate(s, s);
    }

    /// <summary>Stores the first <paramref name="count"/> (1..8) lanes of v as int8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(sbyte* y, Vector256<int> v, int count)
    {
        Vector128<sbyte> b = Narrow(v);
        if (count == 8)
        {
            Unsafe.WriteUnaligned(y, b.AsInt64().ToScalar());
            return;
        }

        long bits = b.AsInt64().ToScalar();
        for (int i = 0; i < count; i++, bits >>= 8)
        {
            y[i] = (sbyte)bits;
        }
    }

    /// <summary>y[i] = requantize(acc[i]) for channels i of q, every length (the tail through a full vector on a copy).</summary>
    public static void Row(int* acc, sbyte* y, int count, S8RequantView q)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8)
        {
            Store(y + i, Apply(Avx.LoadVector256(acc + i), q.Offset(i)), 8);
        }

        if (i < count)
        {
            int* tail = stackalloc int[8];
            for (int j = 0; j < 8; j++)
            {
                tail[j] = i + j < count ? acc[i + j] : 0;
            }

            Store(y + i, Apply(Avx.LoadVector256(tail), q.Offset(i)), count - i);
        }
    }
}
