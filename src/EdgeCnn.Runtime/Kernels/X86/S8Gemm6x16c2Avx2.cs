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

        for (; i < count; i++)
        {
            dst[i] = src[i];
        }
    }

    public static void Run(ref S8GemmI16Call c)
    {
        Vector256<int> acc0L = default, acc0H = default, acc1L = default, acc1H = default, acc2L = default, acc2H = default;
        Vector256<int> acc3L = default, acc3H = default, acc4L = default, acc4H = default, acc5L = default, acc5H = default;
        short* w = c.W;
        short** ap = c.A;
        short* zero = c.Zero;
        nint offset = c.AOffset;
        nint pairs = c.Kc2 >> 1;
        for (int t = 0; t < c.Taps; t++, ap += 6)
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

        Vector256<int> biasL = Avx.LoadVector256(c.Bias), biasH = Avx.LoadVector256(c.Bias + 8);
        S8RequantView qL = c.Q, qH = c.Q.Offset(8);
        sbyte* y = c.C;
        nint stride = c.CStride;
        int nc = c.Nc, mr = c.Mr;
        S8RequantAvx2.Store16(y, S8RequantAvx2.Apply(Avx2.Add(acc0L, biasL), qL), S8RequantAvx2.Apply(Avx2.Add(acc0H, biasH), qH), nc);
        if (mr > 1)
        {
            S8RequantAvx2.Store16(y + stride, S8RequantAvx2.Apply(Avx2.Add(acc1L, biasL), qL), S8RequantAvx2.Apply(Avx2.Add(acc1H, biasH), qH), nc);
        }

        if (mr > 2)
        {
            S8RequantAvx2.Store16(y + (2 * stride), S8RequantAvx2.Apply(Avx2.Add(acc2L, biasL), qL), S8RequantAvx2.Apply(Avx2.Add(acc2H, biasH), qH), nc);
        }

        if (mr > 3)
        {
            S8RequantAvx2.Store16(y + (3 * stride), S8RequantAvx2.Apply(Avx2.Add(acc3L, biasL), qL), S8RequantAvx2.Apply(Avx2.Add(acc3H, biasH), qH), nc);
        }

        if (mr > 4)
        {
            S8RequantAvx2.Store16(y + (4 * stride), S8RequantAvx2.Apply(Avx2.Add(acc4L, biasL), qL), S8RequantAvx2.Apply(Avx2.Add(acc4H, biasH), qH), nc);
        }

        if (mr > 5)
        {
            S8RequantAvx2.Store16(y + (5 * stride), S8RequantAvx2.Apply(Avx2.Add(acc5L, biasL), qL), S8RequantAvx2.Apply(Avx2.Add(acc5H, biasH), qH), nc);
        }
    }

    /// <summary>Row pointer of the call as pairs of int16: the padding row as is, any other moved to the group's first channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int* Row(short* p, short* zero, nint offset) => (int*)(p == zero ? p : p + offset);
}
