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
    /// A row of interior pixels with the weights in registers, as int16 tap pairs: for each block of 8 channels the 5 pair
    /// vectors (taps 0-1, 2-3, 4-5, 6-7, and 8 with 0; S8DepthwiseConv's packed pair rows), the bias and the requantization
    /// constants are loaded once and the block runs along the row (Block). Per pixel the two taps of a pair are 8-byte
    /// loads interleaved byte by byte (vpunpcklbw), sign-extended to int16 (vpmovsxbw) and multiplied and summed in one vpmaddwd
    /// (|x * w| &lt;= 2^14, so each pair's int32 sum is exact); tap 8 alone is one vpmovsxbd load whose high int16 (the sign)
    /// meets a 0 weight. 5 vpmaddwd replace the 9 vpmulld of the int32 form (vpmulld is 2 uops on most cores), and the
    /// int32 sum is the same in wrapping arithmetic, so the result is bit-exact. The blocks walk the row in segments whose
    /// input rows (3 x segment x stride x C bytes) fit in L1, so they stay there for the next block. The last 1..7 channels
    /// go pixel by pixel through <see cref="S8DepthwiseAvx2"/>. When the pixels step by the taps' column distance or twice
    /// it (stride == dilation, every stride-1 3x3, or stride == 2 x dilation) the block pairs the taps vertically instead
    /// and slides along the row (Sliding).
    /// </summary>
    public static void RunRow(sbyte** x, int taps, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        // Interior taps lie on three input rows, the three of a row one dilation x C apart: three row pointers and that
        // distance address all nine (base + index * 1 or 2), which leaves the loop enough general registers not to spill.
        sbyte* r0 = x[0], r1 = x[3], r2 = x[6];
        nint d = (nint)(x[1] - x[0]);

        // The channel blocks walk the row in equal segments whose three input rows (3 x segment x step bytes) fit in
        // SegmentBytes, so every block after the first reads them from L1 (a stride-2 MobileNetV2 row, 3 x 55 x 192 bytes,
        // would not; its stride-1 rows fit whole).
        long rowBytes = 3L * pixels * step;
        int segments = (int)((rowBytes + SegmentBytes - 1) / SegmentBytes);
        int segment = Math.Max(8, (pixels + segments - 1) / segments);
        for (int p = 0; p < pixels; p += segment)
        {
            nint o = p * step;
            Segment(r0 + o, r1 + o, r2 + o, d, step, Math.Min(segment, pixels - p), w, wStride, bias, y + ((nint)p * channels), channels, q);
        }

        if (channels % 8 != 0)
        {
            RowTail(x, channels & ~7, step, pixels, w, wStride, bias, y, channels, q);
        }
    }

    /// <summary>The input bytes a row segment's three rows may span: three quarters of a 32 KiB L1 data cache.</summary>
    internal const int SegmentBytes = 24 * 1024;

    /// <summary>The 8-channel blocks of one row segment (see <see cref="RunRow"/>).</summary>
    private static void Segment(sbyte* r0, sbyte* r1, sbyte* r2, nint d, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y,
        int channels, in S8RequantView q)
    {
        nint yStep = channels;
        int* pairs = w + (9 * wStride);
        for (int c = 0; c + 8 <= channels; c += 8)
        {
            S8RequantView qc = q.Offset(c);
            bool left = !Avx.TestZ(Avx.LoadVector256(qc.LeftShift), Avx.LoadVector256(qc.LeftShift));
            bool min = q.Min > sbyte.MinValue, max = q.Max < sbyte.MaxValue;
            sbyte* yc = y + c;
            if (step == d || step == 2 * d)
            {
                if (!left && !min && !max)
                {
                    Sliding<S8Off, S8Off, S8Off>(r0 + c, r1 + c, r2 + c, d, step, pixels, w + c, wStride, bias + c, yc, yStep, qc);
                }
                else if (!left && !max)
                {
                    Sliding<S8Off, S8On, S8Off>(r0 + c, r1 + c, r2 + c, d, step, pixels, w + c, wStride, bias + c, yc, yStep, qc);
                }
                else
                {
                    Sliding<S8On, S8On, S8On>(r0 + c, r1 + c, r2 + c, d, step, pixels, w + c, wStride, bias + c, yc, yStep, qc);
                }
            }
            else if (!left && !min && !max)
            {
                Block<S8Off, S8Off, S8Off>(r0 + c, r1 + c, r2 + c, d, step, pixels, pairs + c, wStride, bias + c, yc, yStep, qc);
            }
            else if (!left && !max)
            {
                Block<S8Off, S8On, S8Off>(r0 + c, r1 + c, r2 + c, d, step, pixels, pairs + c, wStride, bias + c, yc, yStep, qc);
            }
            else
            {
                Block<S8On, S8On, S8On>(r0 + c, r1 + c, r2 + c, d, step, pixels, pairs + c, wStride, bias + c, yc, yStep, qc);
            }
        }
    }

    /// <summary>
    /// One block of 8 channels along the row (see <see cref="RunRow"/>), its requantization specialized as the GEMM's
    /// epilogue is: without the left shift when none of the 8 channels has one, without a clamp the int8 store's
    /// saturation already applies (Min -128, Max 127: a ReLU6 whose range is exactly [0, 6] needs neither).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Block<TLeft, TMin, TMax>(sbyte* r0, sbyte* r1, sbyte* r2, nint d, nint step, int pixels, int* wc, int wStride, int* bias,
        sbyte* yc, nint yStep, in S8RequantView qc)
        where TLeft : struct, IS8Flag
        where TMin : struct, IS8Flag
        where TMax : struct, IS8Flag
    {
        Vector256<short> w01 = Avx.LoadVector256(wc).AsInt16(), w23 = Avx.LoadVector256(wc + wStride).AsInt16();
        Vector256<short> w45 = Avx.LoadVector256(wc + (2 * wStride)).AsInt16(), w67 = Avx.LoadVector256(wc + (3 * wStride)).AsInt16();
        Vector256<short> w8 = Avx.LoadVector256(wc + (4 * wStride)).AsInt16();
        Vector256<int> b = Avx.LoadVector256(bias);
        var k = new S8RequantAvx2Constants(qc);
        nint o = 0;
        for (int p = 0; p < pixels; p++, o += step, yc += yStep)
        {
            sbyte* p0 = r0 + o, p1 = r1 + o, p2 = r2 + o;
            Vector256<int> acc0 = Avx2.Add(b, Avx2.MultiplyAddAdjacent(Pair(p0, p0 + d), w01));
            Vector256<int> acc1 = Avx2.MultiplyAddAdjacent(Pair(p0 + (2 * d), p1), w23);
            acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(Pair(p1 + d, p1 + (2 * d)), w45));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(Pair(p2, p2 + d), w67));
            acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int32(p2 + (2 * d)).AsInt16(), w8));
            S8RequantAvx2.Store(yc, S8RequantAvx2.Apply<TLeft, TMin, TMax>(Avx2.Add(acc0, acc1), k), 8);
        }
    }

    /// <summary>
    /// One block of 8 channels along a row whose pixels step by the taps' column distance d (stride == dilation, as every
    /// stride-1 3x3 depthwise) or by 2d: the taps are paired vertically instead, rows 0 and 1 of a column as one int16 pair vector
    /// (weights w0|w3, w1|w4, w2|w5) and row 2's column alone (vpmovsxbd, its high int16 meeting a 0 weight). Pixel p's
    /// three columns are pixel p - 1's last two and one new (step d), so each pixel builds one pair vector and one row-2
    /// vector (3 loads, 1 vpunpcklbw, 2 sign extensions) instead of 4 pairs and a single (9 loads, 4 vpunpcklbw, 5
    /// extensions), for 6 vpmaddwd instead of 5; with step 2d the first column is pixel p - 1's last and two are new. The pair weights are built once per block from the int32 tap rows. Same int32 sum,
    /// so bit-exact.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Sliding<TLeft, TMin, TMax>(sbyte* r0, sbyte* r1, sbyte* r2, nint d, nint step, int pixels, int* wc, int wStride, int* bias,
        sbyte* yc, nint yStep, in S8RequantView qc)
        where TLeft : struct, IS8Flag
        where TMin : struct, IS8Flag
        where TMax : struct, IS8Flag
    {
        Vector256<int> low = Vector256.Create(0xFFFF);
        Vector256<short> w03 = Tap2(wc, wc + (3 * wStride), low), w14 = Tap2(wc + wStride, wc + (4 * wStride), low);
        Vector256<short> w25 = Tap2(wc + (2 * wStride), wc + (5 * wStride), low);
        Vector256<short> w6 = Avx2.And(Avx.LoadVector256(wc + (6 * wStride)), low).AsInt16();
        Vector256<short> w7 = Avx2.And(Avx.LoadVector256(wc + (7 * wStride)), low).AsInt16();
        Vector256<short> w8 = Avx2.And(Avx.LoadVector256(wc + (8 * wStride)), low).AsInt16();
        Vector256<int> b = Avx.LoadVector256(bias);
        var k = new S8RequantAvx2Constants(qc);
        Vector256<short> va = Pair(r0, r1), sa = Avx2.ConvertToVector256Int32(r2).AsInt16();
        if (step == d)
        {
            Vector256<short> vb = Pair(r0 + d, r1 + d), sb = Avx2.ConvertToVector256Int32(r2 + d).AsInt16();
            nint o = 2 * d;
            for (int p = 0; p < pixels; p++, o += d, yc += yStep)
            {
                Vector256<short> vc = Pair(r0 + o, r1 + o), sc = Avx2.ConvertToVector256Int32(r2 + o).AsInt16();
                S8RequantAvx2.Store(yc, S8RequantAvx2.Apply<TLeft, TMin, TMax>(Window(b, va, vb, vc, sa, sb, sc, w03, w14, w25, w6, w7, w8), k), 8);
                va = vb;
                vb = vc;
                sa = sb;
                sb = sc;
            }
        }
        else
        {
            // step == 2d: pixel p's first column is pixel p - 1's last; the middle and last columns are new.
            nint o = d;
            for (int p = 0; p < pixels; p++, o += step, yc += yStep)
            {
                Vector256<short> vb = Pair(r0 + o, r1 + o), sb = Avx2.ConvertToVector256Int32(r2 + o).AsInt16();
                Vector256<short> vc = Pair(r0 + o + d, r1 + o + d), sc = Avx2.ConvertToVector256Int32(r2 + o + d).AsInt16();
                S8RequantAvx2.Store(yc, S8RequantAvx2.Apply<TLeft, TMin, TMax>(Window(b, va, vb, vc, sa, sb, sc, w03, w14, w25, w6, w7, w8), k), 8);
                va = vc;
                sa = sc;
            }
        }
    }

    /// <summary>bias + the 9 taps of one pixel from its three columns' vertical pairs (v) and row-2 singles (s), two chains.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Window(Vector256<int> b, Vector256<short> va, Vector256<short> vb, Vector256<short> vc, Vector256<short> sa,
        Vector256<short> sb, Vector256<short> sc, Vector256<short> w03, Vector256<short> w14, Vector256<short> w25, Vector256<short> w6,
        Vector256<short> w7, Vector256<short> w8)
    {
        Vector256<int> acc0 = Avx2.Add(b, Avx2.MultiplyAddAdjacent(va, w03));
        Vector256<int> acc1 = Avx2.MultiplyAddAdjacent(vb, w14);
        acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(vc, w25));
        acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(sa, w6));
        acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(sb, w7));
        acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(sc, w8));
        return Avx2.Add(acc0, acc1);
    }

    /// <summary>Two int32 tap rows (int8-range weights) packed as int16 pairs: a in the low half, b in the high.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Tap2(int* a, int* b, Vector256<int> low) =>
        Avx2.Or(Avx2.And(Avx.LoadVector256(a), low), Avx2.ShiftLeftLogical(Avx.LoadVector256(b), 16)).AsInt16();

    /// <summary>8 channels of two taps as int16 pairs (a[i], b[i]) in channel order, for vpmaddwd against a packed pair row.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Pair(sbyte* a, sbyte* b) =>
        Avx2.ConvertToVector256Int16(Sse2.UnpackLow(Sse2.LoadScalarVector128((long*)a).AsSByte(), Sse2.LoadScalarVector128((long*)b).AsSByte()));

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
