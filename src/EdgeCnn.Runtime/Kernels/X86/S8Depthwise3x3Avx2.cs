using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// The depthwise channel loop for 3x3 windows (9 taps) on AVX2: the tap loop is unrolled, so each 16-channel step is two
/// independent chains of 9 vpmovsxbd loads, 9 vpmulld and 9 vpaddd with no loop control. The tap pointers are read from
/// the pixel's pointer array (L1) rather than held in nine registers, which would spill with the loop's other values.
/// Tails as in <see cref="S8DepthwiseAvx2"/>.
/// </summary>
public readonly unsafe struct S8Depthwise3x3Avx2 : IS8DepthwisePixel
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// A row of interior pixels with the weights in registers: for each block of 8 channels the 9 weight vectors and the
    /// bias are loaded once and the block runs along the row (9 vpmovsxbd loads, 9 vpmulld, 9 vpaddd, the requantization
    /// and an 8-byte store per pixel), instead of reloading 18 weight vectors for every pixel. The input rows the block
    /// walks (3 x row width x 8 bytes of every C) stay in L1 for the next block. The last 1..7 channels go pixel by pixel
    /// through <see cref="S8DepthwiseAvx2"/>.
    /// </summary>
    public static void RunRow(sbyte** x, int taps, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        // Interior taps lie on three input rows, the three of a row one dilation x C apart: three row pointers and that
        // distance address all nine (base + index * 1 or 2), which leaves the loop enough general registers not to spill.
        sbyte* r0 = x[0], r1 = x[3], r2 = x[6];
        nint d = (nint)(x[1] - x[0]);
        nint yStep = channels;
        int c = 0;
        for (; c + 8 <= channels; c += 8)
        {
            int* wc = w + c;
            Vector256<int> w0 = Avx.LoadVector256(wc), w1 = Avx.LoadVector256(wc + wStride), w2 = Avx.LoadVector256(wc + (2 * wStride));
            Vector256<int> w3 = Avx.LoadVector256(wc + (3 * wStride)), w4 = Avx.LoadVector256(wc + (4 * wStride)), w5 = Avx.LoadVector256(wc + (5 * wStride));
            Vector256<int> w6 = Avx.LoadVector256(wc + (6 * wStride)), w7 = Avx.LoadVector256(wc + (7 * wStride)), w8 = Avx.LoadVector256(wc + (8 * wStride));
            Vector256<int> b = Avx.LoadVector256(bias + c);
            S8RequantView qc = q.Offset(c);
            sbyte* yc = y + c;
            nint o = c;
            for (int p = 0; p < pixels; p++, o += step, yc += yStep)
            {
                sbyte* p0 = r0 + o, p1 = r1 + o, p2 = r2 + o;
                Vector256<int> acc0 = Avx2.Add(b, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p0), w0));
                Vector256<int> acc1 = Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p0 + d), w1);
                acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p0 + (2 * d)), w2));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p1), w3));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p1 + d), w4));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p1 + (2 * d)), w5));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p2), w6));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p2 + d), w7));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p2 + (2 * d)), w8));
                S8RequantAvx2.Store(yc, S8RequantAvx2.Apply(Avx2.Add(acc0, acc1), qc), 8);
            }
        }

        if (c < channels)
        {
            RowTail(x, c, step, pixels, w, wStride, bias, y, channels, q);
        }
    }

    /// <summary>Channels c.. (fewer than 8) of a row, pixel by pixel; out of line for the same reason as <see cref="Tail"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void RowTail(sbyte** x, int c, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        sbyte** rest = stackalloc sbyte*[9];
        for (int t = 0; t < 9; t++)
        {
            rest[t] = x[t] + c;
        }

        S8DepthwiseRows.PerPixel<S8DepthwiseAvx2>(rest, 9, step, pixels, w + c, wStride, bias + c, y + c, channels, channels - c, q.Offset(c));
    }

    public static void Run(sbyte** x, int taps, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        int c = 0;
        for (; c + 16 <= channels; c += 16)
        {
            Vector256<int> acc0 = Avx.LoadVector256(bias + c), acc1 = Avx.LoadVector256(bias + c + 8);
            int* wt = w + c;
            sbyte* x0 = x[0] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x0), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x0 + 8), Avx.LoadVector256(wt + 8)));
            wt += wStride;
            sbyte* x1 = x[1] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x1), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x1 + 8), Avx.LoadVector256(wt + 8)));
            wt += wStride;
            sbyte* x2 = x[2] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x2), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x2 + 8), Avx.LoadVector256(wt + 8)));
            wt += wStride;
            sbyte* x3 = x[3] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x3), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x3 + 8), Avx.LoadVector256(wt + 8)));
            wt += wStride;
            sbyte* x4 = x[4] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x4), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x4 + 8), Avx.LoadVector256(wt + 8)));
            wt += wStride;
            sbyte* x5 = x[5] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x5), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x5 + 8), Avx.LoadVector256(wt + 8)));
            wt += wStride;
            sbyte* x6 = x[6] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x6), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x6 + 8), Avx.LoadVector256(wt + 8)));
            wt += wStride;
            sbyte* x7 = x[7] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x7), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x7 + 8), Avx.LoadVector256(wt + 8)));
            wt += wStride;
            sbyte* x8 = x[8] + c;
            acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x8), Avx.LoadVector256(wt)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(x8 + 8), Avx.LoadVector256(wt + 8)));
            S8RequantAvx2.Store(y + c, S8RequantAvx2.Apply(acc0, q.Offset(c)), 8);
            S8RequantAvx2.Store(y + c + 8, S8RequantAvx2.Apply(acc1, q.Offset(c + 8)), 8);
        }

        if (c < channels)
        {
            Tail(x, c, w, wStride, bias, y, channels, q);
        }
    }

    /// <summary>
    /// The last channels through the general loop, kept out of Run: its stackalloc would give Run a stack-cookie check on
    /// every call (one call per output pixel).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Tail(sbyte** x, int c, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        sbyte** rest = stackalloc sbyte*[9];
        for (int t = 0; t < 9; t++)
        {
            rest[t] = x[t] + c;
        }

        S8DepthwiseAvx2.Run(rest, 9, w + c, wStride, bias + c, y + c, channels - c, q.Offset(c));
    }
}
