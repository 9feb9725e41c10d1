using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference pooling over channels-last [N, D, H, W, C] (1D/2D are D = H = 1 or D = 1, see PoolGeometry). Every output
/// element walks its own window: slow on purpose, the spec for optimized kernels. Padding positions never contribute a
/// value; a window with no tap inside the input (possible only with large pads or dilation) yields real 0.
/// </summary>
public static class PoolKernels
{
    public static void MaxFloat32(ReadOnlySpan<float> input, Span<float> output, PoolGeometry g)
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
                        for (int ch = 0; ch < c; ch++)
                        {
                            float m = float.NegativeInfinity;
                            bool any = false;
                            for (int kd = wd.First; kd < wd.End; kd++)
                            {
                                for (int kh = wh.First; kh < wh.End; kh++)
                                {
                                    int row = batchBase + (((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW);
                                    for (int kw = ww.First; kw < ww.End; kw++)
                                    {
                                        float v = input[((row + ww.Index(kw)) * c) + ch];
                                        m = !any || v > m || float.IsNaN(v) ? v : m; // NaN propagates, as in ONNX
                                        any = true;
                                    }
                                }
                            }

                            output[o + ch] = any ? m : 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Average: sum of in-input values / divisor (valid taps, or taps inside the pads when countIncludePad).</summary>
    public static void AverageFloat32(ReadOnlySpan<float> input, Span<float> output, PoolGeometry g, bool countIncludePad)
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
                        int divisor = countIncludePad ? wd.Padded * wh.Padded * ww.Padded : wd.Valid * wh.Valid * ww.Valid;
                        for (int ch = 0; ch < c; ch++)
                        {
                            float sum = 0f;
                            for (int kd = wd.First; kd < wd.End; kd++)
                            {
                                for (int kh = wh.First; kh < wh.End; kh++)
                                {
                                    int row = batchBase + (((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW);
                                    for (int kw = ww.First; kw < ww.End; kw++)
                                    {
                                        sum += input[((row + ww.Index(kw)) * c) + ch];
                                    }
                                }
                            }

                            output[o + ch] = divisor > 0 ? sum / divisor : 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Lp: (sum |x|^p)^(1/p) over in-input taps; p = 1 and p = 2 are computed without Pow.</summary>
    public static void LpFloat32(ReadOnlySpan<float> input, Span<float> output, PoolGeometry g, int p)
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
                        for (int ch = 0; ch < c; ch++)
                        {
                            float sum = 0f;
                            for (int kd = wd.First; kd < wd.End; kd++)
                            {
                                for (int kh = wh.First; kh < wh.End; kh++)
                                {
                                    int row = batchBase + (((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW);
                                    for (int kw = ww.First; kw < ww.End; kw++)
                                    {
                                        sum += LpTerm(input[((row + ww.Index(kw)) * c) + ch], p);
                                    }
                                }
                            }

                            output[o + ch] = LpRoot(sum, p);
                        }
                    }
                }
            }
        }
    }

    /// <summary>int8 Lp pool via fp32: quantize_y(lp(dequantize_x(window))), the same fp32 sum order as LpFloat32.</summary>
    public static void LpInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, PoolGeometry g, int p, float inScale, int inZeroPoint,
        float outScale, int outZeroPoint)
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
                        for (int ch = 0; ch < c; ch++)
                        {
                            float sum = 0f;
                            for (int kd = wd.First; kd < wd.End; kd++)
                            {
                                for (int kh = wh.First; kh < wh.End; kh++)
                                {
                                    int row = batchBase + (((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW);
                                    for (int kw = ww.First; kw < ww.End; kw++)
                                    {
                                        float x = QuantMath.Dequantize(input[((row + ww.Index(kw)) * c) + ch], inScale, inZeroPoint);
                                        sum += LpTerm(x, p);
                                    }
                                }
                            }

                            output[o + ch] = QuantMath.QuantizeToInt8(LpRoot(sum, p), outScale, outZeroPoint);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// int8 max: the max of the raw q (dequantization is monotonic), then y = z_y + (q - z_x) * M, M = s_x / s_y in fixed
    /// point (exact identity when the quantizations are equal).
    /// </summary>
    public static void MaxInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, PoolGeometry g, int inZeroPoint, int outZeroPoint,
        int multiplier, int shift)
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
                        bool any = wd.Valid > 0 && wh.Valid > 0 && ww.Valid > 0;
                        for (int ch = 0; ch < c; ch++)
                        {
                            int m = inZeroPoint; // an empty window is real 0
                            if (any)
                            {
                                m = sbyte.MinValue;
                                for (int kd = wd.First; kd < wd.End; kd++)
                                {
                                    for (int kh = wh.First; kh < wh.End; kh++)
                                    {
                                        int row = batchBase + (((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW);
                                        for (int kw = ww.First; kw < ww.End; kw++)
                                        {
                                            m = Math.Max(m, input[((row + ww.Index(kw)) * c) + ch]);
                                        }
                                    }
                                }
                            }

                            output[o + ch] = Requantize(m - inZeroPoint, outZeroPoint, multiplier, shift);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// int8 average: integer sum of (q - z_x) over in-input taps, then y = z_y + sum * M_n with M_n = s_x / (s_y * n)
    /// precomputed for every divisor n (index n of multipliers/shifts, 0..KernelVolume). |q - z_x| &lt;= 255, so the int32
    /// sum is exact while KernelVolume &lt;= 2^23 (the operator rejects larger kernels).
    /// </summary>
    public static void AverageInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, PoolGeometry g, bool countIncludePad,
        int inZeroPoint, int outZeroPoint, ReadOnlySpan<int> multipliers, ReadOnlySpan<int> shifts)
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
                        int divisor = countIncludePad ? wd.Padded * wh.Padded * ww.Padded : wd.Valid * wh.Valid * ww.Valid;
                        for (int ch = 0; ch < c; ch++)
                        {
                            int sum = 0;
                            for (int kd = wd.First; kd < wd.End; kd++)
                            {
                                for (int kh = wh.First; kh < wh.End; kh++)
                                {
                                    int row = batchBase + (((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW);
                                    for (int kw = ww.First; kw < ww.End; kw++)
                                    {
                                        sum += input[((row + ww.Index(kw)) * c) + ch] - inZeroPoint;
                                    }
                                }
                            }

                            // divisor 0 has multiplier 0: an empty window is real 0.
                            output[o + ch] = Requantize(sum, outZeroPoint, multipliers[divisor], shifts[divisor]);
                        }
                    }
                }
            }
        }
    }

    /// <summary>y = clamp(z_y + MultiplyByQuantizedMultiplier(x, M)) into int8.</summary>
    public static sbyte Requantize(int x, int outZeroPoint, int multiplier, int shift) =>
        (sbyte)Math.Clamp(outZeroPoint + FixedPoint.MultiplyByQuantizedMultiplier(x, multiplier, shift), sbyte.MinValue, sbyte.MaxValue);

    private static float LpTerm(float x, int p)
    {
        float a = MathF.Abs(x);
        return p == 1 ? a : p == 2 ? a * a : MathF.Pow(a, p);
    }

    private static float LpRoot(float sum, int p) => p == 1 ? sum : p == 2 ? MathF.Sqrt(sum) : MathF.Pow(sum, 1f / p);
}
