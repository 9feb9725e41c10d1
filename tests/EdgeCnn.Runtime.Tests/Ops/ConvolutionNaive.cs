using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>
/// Independent, obviously-correct formulas for the convolution family, written from the definitions with rank-generic
/// index arithmetic (flat index -> multi-index by div/mod), so they share no code or loop structure with the runtime's
/// fixed-3D reference kernels. ConvTranspose is written in scatter form (the kernel gathers).
/// </summary>
internal static class ConvolutionNaive
{
    /// <summary>Multi-index of a flat row-major index.</summary>
    public static int[] Unflatten(long flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = (int)(flat % shape[d]);
            flat /= shape[d];
        }

        return idx;
    }

    public static long Flatten(int[] idx, int[] shape)
    {
        long f = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            f = (f * shape[d]) + idx[d];
        }

        return f;
    }

    public static long Count(int[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>
    /// Conv accumulators (before activation) for x [N, s..., C], w [O, k..., C/g]: sum of products, as a double per output.
    /// getX/getW return the (zero-point-shifted) values, so the same loop serves fp32 and int8.
    /// </summary>
    public static double[] ConvAcc(int[] xShape, Func<long, double> getX, int[] wShape, Func<long, double> getW, Func<int, double>? bias,
        int[] strides, int[] dilations, int[] padBegin, int[] outSpatial, int group)
    {
        int r = xShape.Length - 2;
        int n = xShape[0], c = xShape[^1], o = wShape[0], cg = wShape[^1];
        int[] kShape = wShape[1..^1];
        int[] yShape = [n, .. outSpatial, o];
        var y = new double[Count(yShape)];
        for (long f = 0; f < y.Length; f++)
        {
            int[] yi = Unflatten(f, yShape);
            int oc = yi[^1];
            int firstC = oc / (o / group) * cg;
            double acc = bias?.Invoke(oc) ?? 0;
            for (long kf = 0; kf < Count(kShape); kf++)
            {
                int[] ki = Unflatten(kf, kShape);
                var xi = new int[r + 2];
                xi[0] = yi[0];
                bool inside = true;
                for (int d = 0; d < r; d++)
                {
                    xi[d + 1] = (yi[d + 1] * strides[d]) - padBegin[d] + (ki[d] * dilations[d]);
                    inside &= xi[d + 1] >= 0 && xi[d + 1] < xShape[d + 1];
                }

                if (!inside)
                {
                    continue;
                }

                for (int ci = 0; ci < cg; ci++)
                {
                    xi[^1] = firstC + ci;
                    acc += getX(Flatten(xi, xShape)) * getW(Flatten([oc, .. ki, ci], wShape));
                }
            }

            y[f] = acc;
        }

        return y;
    }

    /// <summary>round_half_up(acc * m / 2^(31 - shift)), exactly.</summary>
    public static int RoundOnce(long acc, int m, int shift) =>
        (int)((((Int128)acc * m) + (Int128.One << (30 - shift))) >> (31 - shift));

    /// <summary>ConvTranspose accumulators in scatter form: every (input pixel, tap) adds into the output it lands on.</summary>
    public static double[] ConvTransposeAcc(int[] xShape, Func<long, double> getX, int[] wShape, Func<long, double> getW,
        Func<int, double>? bias, int[] strides, int[] dilations, int[] padBegin, int[] outSpatial, int group)
    {
        int r = xShape.Length - 2;
        int o = wShape[0], cg = wShape[^1], og = o / group;
        int[] kShape = wShape[1..^1];
        int[] yShape = [xShape[0], .. outSpatial, o];
        var y = new double[Count(yShape)];
        for (long f = 0; f < y.Length; f++)
        {
            y[f] = bias?.Invoke((int)(f % o)) ?? 0;
        }

        for (long xf = 0; xf < Count(xShape); xf++)
        {
            int[] xi = Unflatten(xf, xShape);
            int ch = xi[^1], g = ch / cg, ci = ch % cg;
            for (long kf = 0; kf < Count(kShape); kf++)
            {
                int[] ki = Unflatten(kf, kShape);
                var yi = new int[r + 2];
                yi[0] = xi[0];
                bool inside = true;
                for (int d = 0; d < r; d++)
                {
                    yi[d + 1] = (xi[d + 1] * strides[d]) - padBegin[d] + (ki[d] * dilations[d]);
                    inside &= yi[d + 1] >= 0 && yi[d + 1] < outSpatial[d];
                }

                if (!inside)
                {
                    continue;
                }

                for (int oc = g * og; oc < (g + 1) * og; oc++)
                {
                    yi[^1] = oc;
                    y[Flatten(yi, yShape)] += getX(xf) * getW(Flatten([oc, .. ki, ci], wShape));
                }
            }
        }

        return y;
    }

    /// <summary>Tiled / locally connected 2D accumulators: position (y, x) uses weight set (y mod tH, x mod tW).</summary>
    public static double[] TiledAcc(int[] xShape, Func<long, double> getX, int[] wShape, Func<long, double> getW,
        Func<int, int, int, double>? bias, int[] strides, int[] dilations, int[] padBegin, int outH, int outW)
    {
        int n = xShape[0], h = xShape[1], w = xShape[2], c = xShape[3];
        int th = wShape[0], tw = wShape[1], o = wShape[2], kh = wShape[3], kw = wShape[4];
        var y = new double[(long)n * outH * outW * o];
        long f = 0;
        for (int b = 0; b < n; b++)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    for (int oc = 0; oc < o; oc++, f++)
                    {
                        double acc = bias?.Invoke(oy, ox, oc) ?? 0;
                        for (int ky = 0; ky < kh; ky++)
                        {
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = (oy * strides[0]) - padBegin[0] + (ky * dilations[0]);
                                int ix = (ox * strides[1]) - padBegin[1] + (kx * dilations[1]);
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                                {
                                    continue;
                                }

                                for (int ci = 0; ci < c; ci++)
                                {
                                    acc += getX(Flatten([b, iy, ix, ci], xShape)) *
                                        getW(Flatten([oy % th, ox % tw, oc, ky, kx, ci], wShape));
                                }
                            }
                        }

                        y[f] = acc;
                    }
                }
            }
        }

        return y;
    }

    public static double[] DenseAcc(int rows, int k, int o, Func<long, double> getX, Func<long, double> getW, Func<int, double>? bias)
    {
        var y = new double[rows * o];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < o; j++)
            {
                double acc = bias?.Invoke(j) ?? 0;
                for (int i = 0; i < k; i++)
                {
                    acc += getX(((long)r * k) + i) * getW(((long)j * k) + i);
                }

                y[(r * o) + j] = acc;
            }
        }

        return y;
    }

    public static float[] ToFloat(double[] acc) => acc.Select(a => (float)a).ToArray();

    /// <summary>
    /// The int8 output stage written out in the test: acc is an exact integer (the sum above), then
    /// y = clamp(z_y + round_half_up(acc * m * 2^(shift-31)), lo, hi) with (m, shift) = QuantizeMultiplier(s_x * s_w[o] / s_y),
    /// rounded once in 128-bit integers (TFLite's single rounding).
    /// </summary>
    public static sbyte[] Requantize(double[] acc, int outC, float sx, float[] sw, float sy, int zy, int lo = -128, int hi = 127)
    {
        var y = new sbyte[acc.Length];
        for (int i = 0; i < acc.Length; i++)
        {
            int o = i % outC;
            (int m, int s) = FixedPoint.QuantizeMultiplier((double)sx * sw[sw.Length == 1 ? 0 : o] / sy);
            int v = zy + RoundOnce(checked((int)acc[i]), m, s);
            y[i] = (sbyte)Math.Clamp(v, lo, hi);
        }

        return y;
    }
}
