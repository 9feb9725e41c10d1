using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// The depthwise channel loop for 3x3 windows through the portable Vector128 API: nine tap pointers held for the pixel,
/// taps unrolled, 4 channels per step. Tails as in <see cref="S8DepthwiseVector128"/>.
/// </summary>
public readonly unsafe struct S8Depthwise3x3Vector128 : IS8DepthwisePixel
{
    public static bool IsSupported => true;

    /// <summary>
    /// A row of interior pixels with the weights in registers (9 + bias of the 16 SSE or 32 NEON vector registers): each
    /// block of 4 channels loads its weights once and runs along the row; the nine taps are addressed from three row
    /// pointers and the column distance, as in the AVX2 row. The last 1..3 channels go pixel by pixel through
    /// <see cref="S8DepthwiseVector128"/>.
    /// </summary>
    public static void RunRow(sbyte** x, int taps, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        sbyte* r0 = x[0], r1 = x[3], r2 = x[6];
        nint d = (nint)(x[1] - x[0]);
        nint yStep = channels;
        int s = wStride;
        int c = 0;
        for (; c + 4 <= channels; c += 4)
        {
            int* wc = w + c;
            Vector128<int> w0 = Vector128.Load(wc), w1 = Vector128.Load(wc + s), w2 = Vector128.Load(wc + (2 * s));
            Vector128<int> w3 = Vector128.Load(wc + (3 * s)), w4 = Vector128.Load(wc + (4 * s)), w5 = Vector128.Load(wc + (5 * s));
            Vector128<int> w6 = Vector128.Load(wc + (6 * s)), w7 = Vector128.Load(wc + (7 * s)), w8 = Vector128.Load(wc + (8 * s));
            Vector128<int> b = Vector128.Load(bias + c);
            S8RequantView qc = q.Offset(c);
            sbyte* yc = y + c;
            nint o = c;
            for (int p = 0; p < pixels; p++, o += step, yc += yStep)
            {
                sbyte* p0 = r0 + o, p1 = r1 + o, p2 = r2 + o;
                Vector128<int> acc = b + (X4(p0) * w0) + (X4(p0 + d) * w1) + (X4(p0 + (2 * d)) * w2);
                acc += (X4(p1) * w3) + (X4(p1 + d) * w4) + (X4(p1 + (2 * d)) * w5);
                acc += (X4(p2) * w6) + (X4(p2 + d) * w7) + (X4(p2 + (2 * d)) * w8);
                S8RequantVector128.Store(yc, S8RequantVector128.Apply(acc, qc), 4);
            }
        }

        if (c < channels)
        {
            RowTail(x, c, step, pixels, w, wStride, bias, y, channels, q);
        }
    }

    /// <summary>Channels c.. (fewer than 4) of a row, pixel by pixel; out of line for the same reason as <see cref="Tail"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RowTail(sbyte** x, int c, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        sbyte** rest = stackalloc sbyte*[9];
        for (int t = 0; t < 9; t++)
        {
            rest[t] = x[t] + c;
        }

        S8DepthwiseRows.PerPixel<S8DepthwiseVector128>(rest, 9, step, pixels, w + c, wStride, bias + c, y + c, channels, channels - c, q.Offset(c));
    }

    public static void Run(sbyte** x, int taps, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        sbyte* x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7], x8 = x[8];
        int s = wStride;
        int c = 0;
        for (; c + 4 <= channels; c += 4)
        {
            int* wc = w + c;
            Vector128<int> acc = Vector128.Load(bias + c);
            acc += X4(x0 + c) * Vector128.Load(wc);
            acc += X4(x1 + c) * Vector128.Load(wc + s);
            acc += X4(x2 + c) * Vector128.Load(wc + (2 * s));
            acc += X4(x3 + c) * Vector128.Load(wc + (3 * s));
            acc += X4(x4 + c) * Vector128.Load(wc + (4 * s));
            acc += X4(x5 + c) * Vector128.Load(wc + (5 * s));
            acc += X4(x6 + c) * Vector128.Load(wc + (6 * s));
            acc += X4(x7 + c) * Vector128.Load(wc + (7 * s));
            acc += X4(x8 + c) * Vector128.Load(wc + (8 * s));
            S8RequantVector128.Store(y + c, S8RequantVector128.Apply(acc, q.Offset(c)), 4);
        }

        if (c < channels)
        {
            Tail(x, c, w, wStride, bias, y, channels, q);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> X4(sbyte* p) =>
        Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<int>(p)).AsSByte()));

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

        S8DepthwiseVector128.Run(rest, 9, w + c, wStride, bias + c, y + c, channels - c, q.Offset(c));
    }
}
