using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// s8 GEMM 4x8c4, exact on AVX2 (no VNNI): per 4-deep reduction step one 32-byte panel row (8 columns x 4 weights) is
/// sign-extended to int16 in two halves, each row's 4 activations are broadcast and sign-extended, and vpmaddwd adds
/// adjacent int16 products into int32 lanes. vpmaddwd saturates only for (-32768)^2 * 2, out of reach of int8 inputs,
/// so every sum is exact; unlike vpmaddubsw (u8 x s8 into saturating int16) it needs no proof of range. Each column keeps
/// two partial sums (k0k1, k2k3) that one vphaddd + vpermq folds at the end.
/// </summary>
public readonly unsafe struct S8Gemm4x8c4Avx2 : IS8GemmMicrokernel
{
    public static int Mr => 4;

    public static int Nr => 8;

    public static int ActivationShift => 0;

    public static bool IsSupported => Avx2.IsSupported;

    public static string Suffix => "4x8c4-minmax-avx2";

    public static void Run(ref S8GemmCall c)
    {
        Vector256<int> acc0L = default, acc0H = default, acc1L = default, acc1H = default;
        Vector256<int> acc2L = default, acc2H = default, acc3L = default, acc3H = default;
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
            for (; k < kMain; k += 4, w += 32)
            {
                Vector256<short> bL = Avx2.ConvertToVector256Int16(w);      // columns 0..3 x k..k+3
                Vector256<short> bH = Avx2.ConvertToVector256Int16(w + 16); // columns 4..7
                Vector256<short> x = Broadcast(S8Rows.Load4(a0 + k));
                acc0L = Avx2.Add(acc0L, Avx2.MultiplyAddAdjacent(x, bL));
                acc0H = Avx2.Add(acc0H, Avx2.MultiplyAddAdjacent(x, bH));
                x = Broadcast(S8Rows.Load4(a1 + k));
                acc1L = Avx2.Add(acc1L, Avx2.MultiplyAddAdjacent(x, bL));
                acc1H = Avx2.Add(acc1H, Avx2.MultiplyAddAdjacent(x, bH));
                x = Broadcast(S8Rows.Load4(a2 + k));
                acc2L = Avx2.Add(acc2L, Avx2.MultiplyAddAdjacent(x, bL));
                acc2H = Avx2.Add(acc2H, Avx2.MultiplyAddAdjacent(x, bH));
                x = Broadcast(S8Rows.Load4(a3 + k));
                acc3L = Avx2.Add(acc3L, Avx2.MultiplyAddAdjacent(x, bL));
                acc3H = Avx2.Add(acc3H, Avx2.MultiplyAddAdjacent(x, bH));
            }

            if (k < kc)
            {
                int rest = kc - k;
                Vector256<short> bL = Avx2.ConvertToVector256Int16(w);
                Vector256<short> bH = Avx2.ConvertToVector256Int16(w + 16);
                w += 32;
                Vector256<short> x = Broadcast(S8Rows.LoadTail(a0 + k, rest));
                acc0L = Avx2.Add(acc0L, Avx2.MultiplyAddAdjacent(x, bL));
                acc0H = Avx2.Add(acc0H, Avx2.MultiplyAddAdjacent(x, bH));
                x = Broadcast(S8Rows.LoadTail(a1 + k, rest));
                acc1L = Avx2.Add(acc1L, Avx2.MultiplyAddAdjacent(x, bL));
                acc1H = Avx2.Add(acc1H, Avx2.MultiplyAddAdjacent(x, bH));
                x = Broadcast(S8Rows.LoadTail(a2 + k, rest));
                acc2L = Avx2.Add(acc2L, Avx2.MultiplyAddAdjacent(x, bL));
                acc2H = Avx2.Add(acc2H, Avx2.MultiplyAddAdjacent(x, bH));
                x = Broadcast(S8Rows.LoadTail(a3 + k, rest));
                acc3L = Avx2.Add(acc3L, Avx2.MultiplyAddAdjacent(x, bL));
                acc3H = Avx2.Add(acc3H, Avx2.MultiplyAddAdjacent(x, bH));
            }
        }

        Vector256<int> bias = Avx.LoadVector256(c.Bias);
        S8RequantView q = c.Q;
        sbyte* y = c.C;
        int nc = c.Nc, mr = c.Mr;
        S8RequantAvx2.Store(y, S8RequantAvx2.Apply(Fold(acc0L, acc0H, bias), q), nc);
        if (mr > 1)
        {
            S8RequantAvx2.Store(y + c.CStride, S8RequantAvx2.Apply(Fold(acc1L, acc1H, bias), q), nc);
        }

        if (mr > 2)
        {
            S8RequantAvx2.Store(y + (2 * c.CStride), S8RequantAvx2.Apply(Fold(acc2L, acc2H, bias), q), nc);
        }

        if (mr > 3)
        {
            S8RequantAvx2.Store(y + (3 * c.CStride), S8RequantAvx2.Apply(Fold(acc3L, acc3H, bias), q), nc);
        }
    }

    /// <summary>4 activations (one int) repeated over 16 int16 lanes: (a0, a1, a2, a3) x 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Broadcast(int a4) => Avx2.ConvertToVector256Int16(Vector128.Create(a4).AsSByte());

    /// <summary>
    /// lo = [c0 c0' c1 c1' | c2 c2' c3 c3'] and hi likewise for columns 4..7: vphaddd gives [c0 c1 c4 c5 | c2 c3 c6 c7],
    /// vpermq (0, 2, 1, 3) puts the columns in order; then the bias.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Fold(Vector256<int> lo, Vector256<int> hi, Vector256<int> bias) =>
        Avx2.Add(Avx2.Permute4x64(Avx2.HorizontalAdd(lo, hi).AsInt64(), 0b11_01_10_00).AsInt32(), bias);
}
