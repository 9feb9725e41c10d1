using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// s8 GEMM 6x16c2, exact on AVX2 (no VNNI), on operands widened to int16 once: the weights at Plan (S8PackedWeightsI16),
/// the activations once per Run (<see cref="Widen"/>). Per 2-deep reduction step: two 256-bit weight loads (16 columns x
/// 2 values), and per row one vpbroadcastd of two int16 activations straight from memory (a load, no shuffle) feeding two
/// vpmaddwd into 12 int32 accumulators (each column's sum in its own lane: no fold at the end). That is 12 vpmaddwd +
/// 12 vpaddd per 6 broadcast loads, the peak loop's instruction mix, where the 4x8c4 tile spent 10 more shuffle-class
/// instructions (activation broadcast through a GPR and sign extension, weight sign extension) per 8 vpmaddwd.
/// vpmaddwd saturates only for (-32768)^2 * 2, out of reach of int8 inputs, so every sum is exact.
/// </summary>
public readonly unsafe struct S8Gemm6x16c2Avx2 : IS8GemmI16Microkernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    public static bool IsSupported => Avx2.IsSupported;

    public static string Suffix => "6x16c2-minmax-avx2";

    public static void Widen(sbyte* src, short* dst, nint count)
    {
        nint i = 0;
        for (; i <= count - 16; i += 16)
        {
            Avx.Store(dst + i, Avx2.ConvertToVector256Int16(src + i));
        }

        if (i <= count - 8)
        {
            // Kc = 24, 40, ...: the last 8 in one vpmovsxbw xmm rather than 8 scalar moves (per row of every 1x1 work item).
            Sse2.Store(dst + i, Sse41.ConvertToVector128Int16(src + i));
            i += 8;
        }

        for (; i < count; i++)
        {
            dst[i] = src[i];
        }
    }

    [SkipLocalsInit]
    public static void Run(ref S8GemmI16Call c)
    {
        short* w = c.W;
        short* zero = c.Zero;
        nint offset = c.AOffset;
        nint pairs = c.Kc2 >> 1;
        int taps = c.Taps;
        int* tile = stackalloc int[6 * 16];
        for (int n0 = 0; n0 < c.Nc; n0 += 16)
        {
            // The accumulators start at the bias: the epilogue then has no add per row.
            Vector256<int> acc0L = Avx.LoadVector256(c.Bias + n0), acc0H = Avx.LoadVector256(c.Bias + n0 + 8);
            Vector256<int> acc1L = acc0L, acc1H = acc0H, acc2L = acc0L, acc2H = acc0H;
            Vector256<int> acc3L = acc0L, acc3H = acc0H, acc4L = acc0L, acc4H = acc0H, acc5L = acc0L, acc5H = acc0H;
            short** ap = c.A;
            for (int t = 0; t < taps; t++, ap += 6)
            {
                int* a0 = Row(ap[0], zero, offset), a1 = Row(ap[1], zero, offset), a2 = Row(ap[2], zero, offset);
                int* a3 = Row(ap[3], zero, offset), a4 = Row(ap[4], zero, offset), a5 = Row(ap[5], zero, offset);
                for (nint k = 0; k < pairs; k++, w += 32)
                {
                    Vector256<short> bL = Avx.LoadVector256(w);      // columns 0..7 x (k, k + 1)
                    Vector256<short> bH = Avx.LoadVector256(w + 16); // columns 8..15
                    Vector256<short> x = Avx2.BroadcastScalarToVector256(a0 + k).AsInt16();
                    acc0L = Avx2.Add(acc0L, Avx2.MultiplyAddAdjacent(x, bL));
                    acc0H = Avx2.Add(acc0H, Avx2.MultiplyAddAdjacent(x, bH));
                    x = Avx2.BroadcastScalarToVector256(a1 + k).AsInt16();
                    acc1L = Avx2.Add(acc1L, Avx2.MultiplyAddAdjacent(x, bL));
                    acc1H = Avx2.Add(acc1H, Avx2.MultiplyAddAdjacent(x, bH));
                    x = Avx2.BroadcastScalarToVector256(a2 + k).AsInt16();
                    acc2L = Avx2.Add(acc2L, Avx2.MultiplyAddAdjacent(x, bL));
                    acc2H = Avx2.Add(acc2H, Avx2.MultiplyAddAdjacent(x, bH));
                    x = Avx2.BroadcastScalarToVector256(a3 + k).AsInt16();
                    acc3L = Avx2.Add(acc3L, Avx2.MultiplyAddAdjacent(x, bL));
                    acc3H = Avx2.Add(acc3H, Avx2.MultiplyAddAdjacent(x, bH));
                    x = Avx2.BroadcastScalarToVector256(a4 + k).AsInt16();
                    acc4L = Avx2.Add(acc4L, Avx2.MultiplyAddAdjacent(x, bL));
                    acc4H = Avx2.Add(acc4H, Avx2.MultiplyAddAdjacent(x, bH));
                    x = Avx2.BroadcastScalarToVector256(a5 + k).AsInt16();
                    acc5L = Avx2.Add(acc5L, Avx2.MultiplyAddAdjacent(x, bL));
                    acc5H = Avx2.Add(acc5H, Avx2.MultiplyAddAdjacent(x, bH));
                }
            }

            // The accumulators go to the stack so the epilogue has every register for the requantization constants.
            Avx.Store(tile, acc0L);
            Avx.Store(tile + 8, acc0H);
            Avx.Store(tile + 16, acc1L);
            Avx.Store(tile + 24, acc1H);
            Avx.Store(tile + 32, acc2L);
            Avx.Store(tile + 40, acc2H);
            Avx.Store(tile + 48, acc3L);
            Avx.Store(tile + 56, acc3H);
            Avx.Store(tile + 64, acc4L);
            Avx.Store(tile + 72, acc4H);
            Avx.Store(tile + 80, acc5L);
            Avx.Store(tile + 88, acc5H);
            switch (c.Shape)
            {
                case S8RequantShape.None: Epilogue<S8Off, S8Off, S8Off>(ref c, tile, n0); break;
                case S8RequantShape.LeftShift: Epilogue<S8On, S8Off, S8Off>(ref c, tile, n0); break;
                case S8RequantShape.ClampMin: Epilogue<S8Off, S8On, S8Off>(ref c, tile, n0); break;
                case S8RequantShape.ClampMin | S8RequantShape.LeftShift: Epilogue<S8On, S8On, S8Off>(ref c, tile, n0); break;
                default: Epilogue<S8On, S8On, S8On>(ref c, tile, n0); break;
            }
        }
    }

    /// <summary>
    /// Requantization and the int8 store of one 6x16 tile (columns n0..) held in <paramref name="tile"/>, the bias
    /// already in it (the accumulators start at the bias).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Epilogue<TLeft, TMin, TMax>(ref S8GemmI16Call c, int* tile, int n0)
        where TLeft : struct, IS8Flag
        where TMin : struct, IS8Flag
        where TMax : struct, IS8Flag
    {
        var kL = new S8RequantAvx2Constants(c.Q.Offset(n0));
        var kH = new S8RequantAvx2Constants(c.Q.Offset(n0 + 8));
        sbyte* y = c.C + n0;
        int nc = c.Nc - n0;
        for (int r = 0; r < c.Mr; r++, tile += 16, y += c.CStride)
        {
            Vector256<int> lo = S8RequantAvx2.Apply<TLeft, TMin, TMax>(Avx.LoadVector256(tile), kL);
            Vector256<int> hi = S8RequantAvx2.Apply<TLeft, TMin, TMax>(Avx.LoadVector256(tile + 8), kH);
            S8RequantAvx2.Store16(y, lo, hi, nc);
        }
    }

    /// <summary>Row pointer of the call as pairs of int16: the padding row as is, any other moved to the group's first channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int* Row(short* p, short* zero, nint offset) => (int*)(p == zero ? p : p + offset);
}
