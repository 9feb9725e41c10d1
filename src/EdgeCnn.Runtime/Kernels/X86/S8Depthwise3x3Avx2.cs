using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// The depthwise channel loop for 3x3 windows (9 taps) on AVX2: the nine tap pointers are held in registers for the whole
/// pixel and the taps are unrolled, so each 8-channel step is 9 vpmovsxbd loads, 9 vpmulld and 9 vpaddd with no inner
/// loop. Tails as in <see cref="S8DepthwiseAvx2"/>.
/// </summary>
public readonly unsafe struct S8Depthwise3x3Avx2 : IS8DepthwisePixel
{
    public static bool IsSupported => Avx2.IsSupported;

    public static void Run(sbyte** x, int taps, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        sbyte* x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7], x8 = x[8];
        int s = wStride;
        int c = 0;
        for (; c + 8 <= channels; c += 8)
        {
            int* wc = w + c;
            Vector256<int> acc = Avx.LoadVector256(bias + c);
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x0 + c), Avx.LoadVector256(wc)));
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x1 + c), Avx.LoadVector256(wc + s)));
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x2 + c), Avx.LoadVector256(wc + (2 * s))));
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x3 + c), Avx.LoadVector256(wc + (3 * s))));
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x4 + c), Avx.LoadVector256(wc + (4 * s))));
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x5 + c), Avx.LoadVector256(wc + (5 * s))));
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x6 + c), Avx.LoadVector256(wc + (6 * s))));
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x7 + c), Avx.LoadVector256(wc + (7 * s))));
            acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x8 + c), Avx.LoadVector256(wc + (8 * s))));
            S8RequantAvx2.Store(y + c, S8RequantAvx2.Apply(acc, q.Offset(c)), 8);
        }

        if (c < channels)
        {
            // 1..7 channels left: the general loop reads them byte by byte.
            sbyte** rest = stackalloc sbyte*[9];
            for (int t = 0; t < 9; t++)
            {
                rest[t] = x[t] + c;
            }

            S8DepthwiseAvx2.Run(rest, 9, w + c, wStride, bias + c, y + c, channels - c, q.Offset(c));
        }
    }
}
