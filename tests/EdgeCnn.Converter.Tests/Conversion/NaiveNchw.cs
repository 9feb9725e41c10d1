namespace EdgeCnn.Converter.Tests.Conversion;

/// <summary>Independent NCHW formulas for the expected values of converter tests (written from the ONNX spec).</summary>
internal static class NaiveNchw
{
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
