using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// s8 GEMV 1x16c4, exact on AVX2: one output row (a batch-1 classifier head) over int8 panels of 16 columns in 4-deep
/// groups (S8PackedWeights with NR 16). The weights stay int8 in memory, since a head's weights are read once per Run and
/// their bytes, not the arithmetic, bound it: per 4-deep step 64 weight bytes are sign-extended to int16 straight from
/// memory (4 x vpmovsxbw ymm, m128, 4 columns x 4 values each) and meet one vpbroadcastq of 4 int16 activations (the row
/// is widened once per Run) in 4 vpmaddwd; each column keeps two partial sums (k0k1, k2k3), folded at the end by vphaddd
/// and vpermq. Every sum is exact (vpmaddwd cannot saturate on int8 inputs).
/// </summary>
public static unsafe class S8Gemv1x16c4Avx2
{
    public const int Nr = 16;

    public static bool IsSupported => Avx2.IsSupported;

    /// <param name="x">the widened row from the group's first channel: Kc4 readable values (zero past Kc, or any value: the weights are 0 there)</param>
    /// <param name="w">the group's panels from the first one to run, [panels][Kc4 / 4][16][4]</param>
    /// <param name="bias">the folded bias of those panels' columns</param>
    /// <param name="y">the output of the first column</param>
    /// <param name="nc">columns to store (over all the panels)</param>
    /// <param name="q">requantization constants from the first column</param>
    /// <param name="shape">the parts of the requantization the layer needs</param>
    [SkipLocalsInit]
    public static void Run(short* x, sbyte* w, int kc4, int* bias, sbyte* y, int nc, S8RequantView q, S8RequantShape shape)
    {
        for (int n0 = 0; n0 < nc; n0 += Nr, w += kc4 * Nr, bias += Nr, y += Nr)
        {
            Vector256<int> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
            sbyte* p = w;
            for (int k = 0; k < kc4; k += 4, p += 64)
            {
                Vector256<short> a = Avx2.BroadcastScalarToVector256((long*)(x + k)).AsInt16();
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(a, Avx2.ConvertToVector256Int16(p)));      // columns 0..3
                acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(a, Avx2.ConvertToVector256Int16(p + 16))); // 4..7
                acc2 = Avx2.Add(acc2, Avx2.MultiplyAddAdjacent(a, Avx2.ConvertToVector256Int16(p + 32))); // 8..11
                acc3 = Avx2.Add(acc3, Avx2.MultiplyAddAdjacent(a, Avx2.ConvertToVector256Int16(p + 48))); // 12..15
            }

            Vector256<int> lo = Avx2.Add(Fold(acc0, acc1), Avx.LoadVector256(bias));
            Vector256<int> hi = Avx2.Add(Fold(acc2, acc3), Avx.LoadVector256(bias + 8));
            S8RequantView qn = q.Offset(n0);
            var kL = new S8RequantAvx2Constants(qn);
            var kH = new S8RequantAvx2Constants(qn.Offset(8));
            if (shape == S8RequantShape.None)
            {
                S8RequantAvx2.Store16(y, S8RequantAvx2.Apply<S8Off, S8Off, S8Off>(lo, kL), S8RequantAvx2.Apply<S8Off, S8Off, S8Off>(hi, kH), nc - n0);
            }
            else
            {
                S8RequantAvx2.Store16(y, S8RequantAvx2.Apply(lo, kL), S8RequantAvx2.Apply(hi, kH), nc - n0);
            }
        }
    }

    /// <summary>dst[i] = src[i] for i &lt; count (sign extension).</summary>
    public static void Widen(sbyte* src, short* dst, nint count) => S8Gemm6x16c2Avx2.Widen(src, dst, count);

    /// <summary>
    /// lo = [c0 c0' c1 c1' | c2 c2' c3 c3'] and hi likewise for the next 4 columns: vphaddd gives [c0 c1 c4 c5 | c2 c3 c6 c7],
    /// vpermq (0, 2, 1, 3) puts the columns in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Fold(Vector256<int> lo, Vector256<int> hi) =>
        Avx2.Permute4x64(Avx2.HorizontalAdd(lo, hi).AsInt64(), 0b11_01_10_00).AsInt32();
}
