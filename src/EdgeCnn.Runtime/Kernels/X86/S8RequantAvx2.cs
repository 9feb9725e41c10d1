using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// otherwise (h = floor(p / 2^31)). vpmuldq multiplies the even lanes; for the odd ones x is shifted down and the
/// multipliers are read one channel on (S8RequantAvx2Constants.MultiplierOdd), and the
/// nudge row's dwords are zero-extended to the matching qwords;</item>
/// <item>y = (h >> right) + (h &amp; 2^(right-1) != 0) with vpsravd: one rounding, half up, of p / 2^(31+right).</item>
/// </list>
/// </summary>
public static unsafe class S8RequantAvx2
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Requantizes 8 accumulators of channels q.., clamped to [Min, Max] (still int32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Apply(Vector256<int> acc, in S8RequantView q) => Apply<S8On, S8On, S8On>(acc, new S8RequantAvx2Constants(q));

    /// <summary>
    /// <see cref="Apply(Vector256{int}, in S8RequantView)"/> with the constants of 8 channels already in registers (a tile's
    /// epilogue loads them once for all its rows): multiplier m, and mOdd whose even lanes hold m's odd lanes (the
    /// multiplier row read one channel on), so vpmuldq takes them with no shift. The one implementation of the arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Apply(Vector256<int> acc, in S8RequantAvx2Constants k) =>
        Apply<S8On, S8On, S8On>(acc, k);

    /// <summary>
    /// <see cref="Apply(Vector256{int}, in S8RequantAvx2Constants)"/> specialized per layer: without the left shift when no
    /// channel has one (x * 2^0 = x), and without the clamp to Min / Max when it is -128 / 127, which the saturating
    /// int32 -> int16 -> int8 packs of <see cref="Store16"/> apply anyway. The result then leaves int8 range only where
    /// that store saturates it exactly as the clamp would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Apply<TLeft, TMin, TMax>(Vector256<int> acc, in S8RequantAvx2Constants k)
        where TLeft : struct, IS8Flag
        where TMin : struct, IS8Flag
        where TMax : struct, IS8Flag
    {
        Vector256<int> x = TLeft.On ? Avx2.ShiftLeftLogicalVariable(acc, k.LeftShift) : acc;
        Vector256<long> even = Avx2.Add(Avx2.Multiply(x, k.Multiplier), k.NudgeEven);
        Vector256<long> odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(), k.MultiplierOdd), k.NudgeOdd);
        // Bits 31..62 of each product: shifted down into the low dword for even lanes, up into the high dword for odd ones.
        Vector256<int> high = Avx2.Blend(Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(odd, 1).AsInt32(), 0b1010_1010);
        Vector256<int> roundUp = Avx2.CompareGreaterThan(Avx2.And(high, k.RoundBit), Vector256<int>.Zero);
        Vector256<int> y = Avx2.Add(Avx2.Subtract(Avx2.ShiftRightArithmeticVariable(high, k.RightShift), roundUp), k.OutputZeroPoint);
        y = TMin.On ? Avx2.Max(y, k.Min) : y;
        return TMax.On ? Avx2.Min(y, k.Max) : y;
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

    /// <summary>
    /// Stores the first <paramref name="count"/> (1..16 and more) lanes of lo (channels 0..7) then hi (8..15) as int8:
    /// vpackssdw gives [lo0-3 hi0-3 | lo4-7 hi4-7], vpermq (0, 2, 1, 3) orders them lo then hi, vpacksswb the two halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store16(sbyte* y, Vector256<int> lo, Vector256<int> hi, int count)
    {
        Vector256<short> s = Avx2.Permute4x64(Avx2.PackSignedSaturate(lo, hi).AsInt64(), 0b11_01_10_00).AsInt16();
        Vector128<sbyte> b = Sse2.PackSignedSaturate(s.GetLower(), s.GetUpper());
        if (count >= 16)
        {
            Sse2.Store(y, b);
            return;
        }

        long bits = b.AsInt64().ToScalar();
        int i = 0;
        if (count >= 8)
        {
            Unsafe.WriteUnaligned(y, bits);
            bits = b.AsInt64().GetElement(1);
            i = 8;
        }

        for (; i < count; i++, bits >>= 8)
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
