namespace EdgeCnn.Converter.Tests.Conversion;

/// <summary>Plain NCHW reference formulas for the converter tests, written from the ONNX spec (independent of the runtime).</summary>
public static class NaiveNchw
{
    public enum PoolKind
    {
        Max,
        Average,
        AverageIncludePad,
        Lp2,
    }

    /// <summary>2-D pooling over x [n, c, h, w]; pads are [top, left, bottom, right].</summary>
    public static (float[] Values, int Oh, int Ow) Pool2D(float[] x, int n, int c, int h, int w, PoolKind kind, int[] k, int[] s,
        int[] pads, int[] d, bool ceil)
    {
        int oh = OutSize(h, k[0], s[0], pads[0], pads[2], d[0], ceil);
        int ow = OutSize(w, k[1], s[1], pads[1], pads[3], d[1], ceil);
        var y = new float[n * c * oh * ow];
        int o = 0;
        for (int b = 0; b < n * c; b++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    float max = float.NegativeInfinity;
                    double sum = 0;
                    int count = 0;
                    int padded = 0;
                    for (int ky = 0; ky < k[0]; ky++)
                    {
                        for (int kx = 0; kx < k[1]; kx++)
                        {
                            int iy = oy * s[0] - pads[0] + ky * d[0];
                            int ix = ox * s[1] - pads[1] + kx * d[1];
                            if (iy >= -pads[0] && iy < h + pads[2] && ix >= -pads[1] && ix < w + pads[3])
                            {
                                padded++;
                            }

                            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                            {
                                continue;
                            }

                            float v = x[(b * h + iy) * w + ix];
                            max = Math.Max(max, v);
                            sum += kind == PoolKind.Lp2 ? v * (double)v : v;
                            count++;
                        }
                    }

                    y[o++] = kind switch
                    {
                        PoolKind.Max => max,
                        PoolKind.Average => (float)(sum / count),
                        PoolKind.AverageIncludePad => (float)(sum / padded),
                        _ => (float)Math.Sqrt(sum),
                    };
                }
            }
        }

        return (y, oh, ow);
    }

    public static int OutSize(int size, int k, int s, int pb, int pe, int d, bool ceil)
    {
        int span = (k - 1) * d + 1;
        int num = size + pb + pe - span;
        int o = (ceil ? (num + s - 1) / s : num / s) + 1;
        if (ceil && (o - 1) * s >= size + pb)
        {
            o--;
        }

        return o;
    }

    /// <summary>Softmax (or log-softmax) of x viewed as [outer, axis, inner], along the middle axis.</summary>
    public static float[] Softmax(float[] x, int outer, int axis, int inner, bool log)
    {
        var y = new float[x.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double max = double.NegativeInfinity;
                for (int a = 0; a < axis; a++)
                {
                    max = Math.Max(max, x[(o * axis + a) * inner + i]);
                }

                double sum = 0;
                for (int a = 0; a < axis; a++)
                {
                    sum += Math.Exp(x[(o * axis + a) * inner + i] - max);
                }

                for (int a = 0; a < axis; a++)
                {
                    double v = x[(o * axis + a) * inner + i] - max;
                    y[(o * axis + a) * inner + i] = (float)(log ? v - Math.Log(sum) : Math.Exp(v) / sum);
                }
            }
        }

        return y;
    }

    /// <summary>Resize of the two spatial axes of x [n, c, h, w] (ONNX coordinate and nearest modes, linear clamps).</summary>
    public static float[] Resize2D(float[] x, int nc, int h, int w, int oh, int ow, float sh, float sw, string coordinates, string mode,
        string nearest)
    {
        var y = new float[nc * oh * ow];
        for (int b = 0; b < nc; b++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    double cy = Coordinate(oy, h, oh, sh, coordinates);
                    double cx = Coordinate(ox, w, ow, sw, coordinates);
                    float v;
                    if (string.Equals(mode, "nearest", StringComparison.Ordinal))
                    {
                        v = x[(b * h + Nearest(cy, h, nearest)) * w + Nearest(cx, w, nearest)];
                    }
                    else
                    {
                        cy = Math.Clamp(cy, 0, h - 1);
                        cx = Math.Clamp(cx, 0, w - 1);
                        int y0 = (int)Math.Floor(cy);
                        int x0 = (int)Math.Floor(cx);
                        int y1 = Math.Min(y0 + 1, h - 1);
                        int x1 = Math.Min(x0 + 1, w - 1);
                        double wy = cy - y0;
                        double wx = cx - x0;
                        double top = x[(b * h + y0) * w + x0] * (1 - wx) + x[(b * h + y0) * w + x1] * wx;
                        double bottom = x[(b * h + y1) * w + x0] * (1 - wx) + x[(b * h + y1) * w + x1] * wx;
                        v = (float)(top * (1 - wy) + bottom * wy);
                    }

                    y[(b * oh + oy) * ow + ox] = v;
                }
            }
        }

        return y;
    }

    private static double Coordinate(int o, int n, int m, float scale, string mode) => mode switch
    {
        "asymmetric" => o / (double)scale,
        "align_corners" => m == 1 ? 0 : o * (n - 1) / (double)(m - 1),
        "pytorch_half_pixel" => m == 1 ? 0 : (o + 0.5) / scale - 0.5,
        _ => (o + 0.5) / scale - 0.5,
    };

    private static int Nearest(double c, int n, string mode)
    {
        double i = mode switch
        {
            "floor" => Math.Floor(c),
            "ceil" => Math.Ceiling(c),
            "round_prefer_ceil" => Math.Floor(c + 0.5),
            _ => Math.Ceiling(c - 0.5),
        };
        return (int)Math.Clamp(i, 0, n - 1);
    }

    /// <summary>2-D convolution, NCHW input, OIHW weights, explicit pads [top, left, bottom, right].</summary>
    public static float[] Conv2D(float[] x, int n, int c, int h, int w, float[] weights, int o, int kh, int kw, float[]? bias,
        int stride, int[] pads, int group, out int oh, out int ow)
    {
        oh = ((h + pads[0] + pads[2] - kh) / stride) + 1;
        ow = ((w + pads[1] + pads[3] - kw) / stride) + 1;
        int cg = c / group, og = o / group;
        var y = new float[n * o * oh * ow];
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                int g = oc / og;
                for (int yy = 0; yy < oh; yy++)
                {
                    for (int xx = 0; xx < ow; xx++)
                    {
                        double acc = bias?[oc] ?? 0;
                        for (int ic = 0; ic < cg; ic++)
                        {
                            for (int ky = 0; ky < kh; ky++)
                            {
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = (yy * stride) - pads[0] + ky, ix = (xx * stride) - pads[1] + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                    {
                                        acc += x[(((b * c) + (g * cg) + ic) * h + iy) * w + ix] * weights[(((oc * cg) + ic) * kh + ky) * kw + kx];
                                    }
                                }
                            }
                        }

                        y[(((b * o) + oc) * oh + yy) * ow + xx] = (float)acc;
                    }
                }
            }
        }

        return y;
    }

    public static float[] Values(int count, int seed) => Enumerable.Range(0, count).Select(i => (((i * 37) + seed) % 19 - 9) / 8f).ToArray();
}
