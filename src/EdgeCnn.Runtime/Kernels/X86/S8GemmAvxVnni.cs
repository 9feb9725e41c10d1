using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// VPDPBUSD's arithmetic on 8 int32 lanes: acc[i] += sum_{j &lt; 4} (u8) a[4i + j] * (s8) b[4i + j], wrapping (the
/// non-saturating form). Implemented by the instruction itself or by an exact emulation.
/// </summary>
public interface IDpbusd
{
    static abstract bool IsSupported { get; }

    static abstract Vector256<int> Dot(Vector256<int> acc, Vector256<byte> a, Vector256<sbyte> b);
}

/// <summary>The instruction: AVX-VNNI VPDPBUSD (VEX, 256-bit).</summary>
public readonly struct AvxVnniDpbusd : IDpbusd
{
    public static bool IsSupported => AvxVnni.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<byte> a, Vector256<sbyte> b) => AvxVnni.MultiplyWideningAndAdd(acc, a, b);
}

/// <summary>
/// VPDPBUSD emulated exactly with AVX2: zero-extend a and sign-extend b to int16, vpmaddwd (u8 * s8 &lt;= 32640, pairs
/// &lt;= 65280: no saturation), then vphaddd + vpermq to add the pairs of each 4-group. It exists so that the u8 kernel's
/// packing, activation shift and 128 * sum(w) correction are executed and checked bit for bit on hosts without AVX-VNNI.
/// </summary>
public readonly struct Avx2DpbusdEmulation : IDpbusd
{
    public static bool IsSupported => Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<byte> a, Vector256<sbyte> b)
    {
        Vector256<int> lo = Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(a.GetLower()), Avx2.ConvertToVector256Int16(b.GetLower()));
        Vector256<int> hi = Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(a.GetUpper()), Avx2.ConvertToVector256Int16(b.GetUpper()));
        return Avx2.Add(acc, Avx2.Permute4x64(Avx2.HorizontalAdd(lo, hi).AsInt64(), 0b11_01_10_00).AsInt32());
    }
}

/// <summary>
/// s8 GEMM 4x16c4 on u8 x s8 dot products (VPDPBUSD): activations are read as u8 (x XOR 0x80 = x + 128) and the
/// packer folded -128 * sum(w) into the bias (ActivationShift 128), so the result equals the s8 x s8 sum exactly. Per
/// 4-deep step: two 32-byte panel loads (16 columns x 4), one broadcast per row, two dot products per row.
/// Instantiated with <see cref="AvxVnniDpbusd"/> (the AVX-VNNI kernel) and <see cref="Avx2DpbusdEmulation"/> (the same
/// kernel on AVX2, for tests).
/// </summary>
public readonly unsafe struct S8Gemm4x16c4U8<TDot> : IS8GemmMicrokernel
    where TDot : struct, IDpbusd
{
    public static int Mr => 4;

    public static int Nr => 16;

    public static int ActivationShift => 128;

    public static bool IsSupported => TDot.IsSupported;

    public static string Suffix => typeof(TDot) == typeof(AvxVnniDpbusd) ? "4x16c4-minmax-avxvnni" : "4x16c4-minmax-avxvnniemu";

    public static void Run(ref S8GemmCall c)
    {
        Vector256<int> acc0L = default, acc0H = default, acc1L = default, acc1H = default;
        Vector256<int> acc2L = default, acc2H = default, acc3L = default, acc3H = default;
        Vector256<int> flip = Vector256.Create(unchecked((int)0x80808080));
        sbyte* w = c.W;
        sbyte** ap = c.A;
        sbyte* zero = c.Zero;
        nint offset = c.AOffset;
        int kc = c.Kc, kMain = kc & ~3;
        for (int t = 0; t < c.Taps; t++, ap += 4)
        {
            sbyte* a0 = S8Rows.Row(ap[0], zero, offset), a1 = S8Rows.Row(ap[1], zero, offset);
            sbyte* a2 = S8Rows.Row(ap[2], zero, offset), a3 = S8Rows.Row(ap[3], zero, offset);
            int k = 0;
            for (; k < kMain; k += 4, w += 64)
            {
                Vector256<sbyte> bL = Avx.LoadVector256(w);      // columns 0..7 x k..k+3
                Vector256<sbyte> bH = Avx.LoadVector256(w + 32); // columns 8..15
                Vector256<byte> x = U8(S8Rows.Load4(a0 + k), flip);
                acc0L = TDot.Dot(acc0L, x, bL);
                acc0H = TDot.Dot(acc0H, x, bH);
                x = U8(S8Rows.Load4(a1 + k), flip);
                acc1L = TDot.Dot(acc1L, x, bL);
                acc1H = TDot.Dot(acc1H, x, bH);
                x = U8(S8Rows.Load4(a2 + k), flip);
                acc2L = TDot.Dot(acc2L, x, bL);
                acc2H = TDot.Dot(acc2H, x, bH);
                x = U8(S8Rows.Load4(a3 + k), flip);
                acc3L = TDot.Dot(acc3L, x, bL);
                acc3H = TDot.Dot(acc3H, x, bH);
            }

            if (k < kc)
            {
                int rest = kc - k;
                Vector256<sbyte> bL = Avx.LoadVector256(w);
                Vector256<sbyte> bH = Avx.LoadVector256(w + 32);
                w += 64;
                Vector256<byte> x = U8(S8Rows.LoadTail(a0 + k, rest), flip);
                acc0L = TDot.Dot(acc0L, x, bL);
                acc0H = TDot.Dot(acc0H, x, bH);
                x = U8(S8Rows.LoadTail(a1 + k, rest), flip);
                acc1L = TDot.Dot(acc1L, x, bL);
                acc1H = TDot.Dot(acc1H, x, bH);
                x = U8(S8Rows.LoadTail(a2 + k, rest), flip);
                acc2L = TDot.Dot(acc2L, x, bL);
                acc2H = TDot.Dot(acc2H, x, bH);
                x = U8(S8Rows.LoadTail(a3 + k, rest), flip);
                acc3L = TDot.Dot(acc3L, x, bL);
                acc3H = TDot.Dot(acc3H, x, bH);
            }
        }

        Vector256<int> biasL = Avx.LoadVector256(c.Bias), biasH = Avx.LoadVector256(c.Bias + 8);
        S8RequantView qL = c.Q, qH = c.Q.Offset(8);
        sbyte* y = c.C;
        int mr = c.Mr, ncL = Math.Min(c.Nc, 8), ncH = c.Nc - ncL;
        for (int r = 0; r < mr; r++, y += c.CStride)
        {
            (Vector256<int> lo, Vector256<int> hi) = r switch
            {
                0 => (acc0L, acc0H),
                1 => (acc1L, acc1H),
                2 => (acc2L, acc2H),
                _ => (acc3L, acc3H),
            };
            S8RequantAvx2.Store(y, S8RequantAvx2.Apply(Avx2.Add(lo, biasL), qL), ncL);
            if (ncH > 0)
            {
                S8RequantAvx2.Store(y + 8, S8RequantAvx2.Apply(Avx2.Add(hi, biasH), qH), ncH);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> U8(int a4, Vector256<int> flip) => Avx2.Xor(Vector256.Create(a4), flip).AsByte();
}
