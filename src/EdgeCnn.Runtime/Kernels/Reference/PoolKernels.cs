using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference pooling over channels-last [N, D, H, W, C] (1D/2D are D = H = 1 or D = 1, see PoolGeometry). One driver walks
/// every output element's window; a reducer struct says what the window computes (max, average, Lp; fp32 or int8). Slow on
/// purpose: the spec for optimized kernels. Padding positions never contribute a value; a window with no tap inside the
/// input (possible only with large pads or dilation) yields real 0.
/// </summary>
public static class PoolKernels
{
    public static void MaxFloat32(ReadOnlySpan<float> input, Span<float> output, PoolGeometry g) =>
        Pool(input, output, g, default(MaxF32));

    /// <summary>Average: sum of in-input values / divisor (valid taps, or taps inside the pads when countIncludePad).</summary>
    public static void AverageFloat32(ReadOnlySpan<float> input, Span<float> output, PoolGeometry g, bool countIncludePad) =>
        Pool(input, output, g, new AverageF32(countIncludePad));

    /// <summary>Lp: (sum |x|^p)^(1/p) over in-input taps; p = 1 and p = 2 are computed without Pow.</summary>
    public static void LpFloat32(ReadOnlySpan<float> input, Span<float> output, PoolGeometry g, int p) =>
        Pool(input, output, g, new LpF32(p));

    /// <summary>int8 Lp pool via fp32: quantize_y(lp(dequantize_x(window))), the same fp32 sum order as LpFloat32.</summary>
    public static void LpInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, PoolGeometry g, int p, float inScale, int inZeroPoint,
        float outScale, int outZeroPoint) =>
        Pool(input, output, g, new LpS8(p, inScale, inZeroPoint, outScale, outZeroPoint));

    /// <summary>
    /// int8 max: the max of the raw q (dequantization is monotonic), then y = z_y + (q - z_x) * M, M = s_x / s_y in fixed
    /// point (exact identity when the quantizations are equal).
    /// </summary>
    public static void MaxInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, PoolGeometry g, int inZeroPoint, int outZeroPoint,
        int multiplier, int shift) =>
        Pool(input, output, g, new MaxS8(inZeroPoint, outZeroPoint, multiplier, shift));

    /// <summary>
    /// int8 average: integer sum of (q - z_x) over in-input taps, then y = z_y + sum * M_n with M_n = s_x / (s_y * n)
    /// precomputed for every divisor n the geometry can produce (index n of multipliers/shifts; n = 0, an empty window, has
    /// multiplier 0). |q - z_x| &lt;= 255, so the int32 sum is exact for windows of up to 2^23 taps (the operator's limit).
    /// </summary>
    public static void AverageInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, PoolGeometry g, bool countIncludePad,
        int inZeroPoint, int outZeroPoint, int[] multipliers, int[] shifts) =>
        Pool(input, output, g, new AverageS8(countIncludePad, inZeroPoint, outZeroPoint, multipliers, shifts));

    /// <summary>y = clamp(z_y + MultiplyByQuantizedMultiplier(x, M)) into int8.</summary>
    public static sbyte Requantize(int x, int outZeroPoint, int multiplier, int shift) =>
        (sbyte)Math.Clamp(outZeroPoint + FixedPoint.MultiplyByQuantizedMultiplier(x, multiplier, shift), sbyte.MinValue, sbyte.MaxValue);

    /// <summary>The one window walk: for each output position and channel, Begin, Add every in-input tap, End.</summary>
    private static void Pool<TIn, TOut, TReducer>(ReadOnlySpan<TIn> input, Span<TOut> output, PoolGeometry g, TReducer reducer)
        where TReducer : struct, IPoolReducer<TIn, TOut>
    {
        ArgumentNullException.ThrowIfNull(g);
        int c = g.Channels;
        int o = 0;
        for (int n = 0; n < g.Batch; n++)
        {
            int batchBase = n * g.InputSpatial;
            for (int od = 0; od < g.OutD; od++)
            {
                AxisWindow wd = g.Window(0, od);
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    AxisWindow wh = g.Window(1, oh);
                    for (int ow = 0; ow < g.OutW; ow++, o += c)
                    {
                        AxisWindow ww = g.Window(2, ow);
                        int valid = wd.Valid * wh.Valid * ww.Valid;
                        int padded = wd.Padded * wh.Padded * ww.Padded;
                        for (int ch = 0; ch < c; ch++)
                        {
                            TReducer r = reducer;
                            r.Begin();
                            for (int kd = wd.First; kd < wd.End; kd++)
                            {
                                for (int kh = wh.First; kh < wh.End; kh++)
                                {
                                    int row = batchBase + (((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW);
                                    for (int kw = ww.First; kw < ww.End; kw++)
                                    {
                                        r.Add(input[((row + ww.Index(kw)) * c) + ch]);
                                    }
                                }
                            }

                            output[o + ch] = r.End(valid, padded);
                        }
                    }
                }
            }
        }
    }
}
