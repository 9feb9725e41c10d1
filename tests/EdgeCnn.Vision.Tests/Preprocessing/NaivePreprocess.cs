using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Vision.Tests.Preprocessing;

/// <summary>
/// An independent formulation of the preprocessing contract in double precision, written from README.md without the
/// reference's helpers: crop by floating-point rounding, bilinear by the torch formula, area by supersampling each axis onto
/// an n*m grid, nearest by a double floor. Slow and obvious.
/// </summary>
internal static class NaivePreprocess
{
    /// <param name="pixels">[h, w, srcChannels] rows `stride` bytes apart.</param>
    /// <returns>[C, H, W] doubles (always planar; the caller lays them out).</returns>
    public static double[,,] Run(byte[] pixels, int w, int h, int srcChannels, int stride, PreprocessSpec spec, int c, int outH, int outW, ColorOrder color)
    {
        (int x0, int y0, int cw, int ch) = Crop(w, h, spec.Crop, outW, outH);
        var result = new double[c, outH, outW];
        for (int y = 0; y < outH; y++)
        {
            for (int x = 0; x < outW; x++)
            {
                var s = new double[srcChannels];
                for (int k = 0; k < srcChannels; k++)
                {
                    double v = 0;
                    foreach ((int iy, double wy) in Weights(spec.Resize, y, ch, outH))
                    {
                        foreach ((int ix, double wx) in Weights(spec.Resize, x, cw, outW))
                        {
                            v += wy * wx * pixels[((y0 + iy) * stride) + ((x0 + ix) * srcChannels) + k];
                        }
                    }

                    s[k] = v;
                }

                double[] model = srcChannels == 1 ? [s[0], s[0], s[0]]
                    : color == ColorOrder.Grey ? [(0.299 * s[0]) + (0.587 * s[1]) + (0.114 * s[2])]
                    : color == ColorOrder.Rgb ? [s[0], s[1], s[2]] : [s[2], s[1], s[0]];
                for (int m = 0; m < c; m++)
                {
                    result[m, y, x] = ((model[m] * spec.Scale) - spec.MeanOf(m)) / spec.StdOf(m);
                }
            }
        }

        return result;
    }

    private static (int X, int Y, int W, int H) Crop(int w, int h, CropMode crop, int outW, int outH)
    {
        double source = (double)w / h, target = (double)outW / outH;
        if (crop == CropMode.None || Math.Abs(source - target) < 1e-12)
        {
            return (0, 0, w, h);
        }

        if (source > target)
        {
            int cw = Math.Max(1, (int)Math.Round(h * target, MidpointRounding.AwayFromZero));
            return ((w - cw) / 2, 0, cw, h);
        }

        int chh = Math.Max(1, (int)Math.Round(w / target, MidpointRounding.AwayFromZero));
        return (0, (h - chh) / 2, w, chh);
    }

    private static List<(int Index, double Weight)> Weights(ResizeMethod method, int d, int n, int m)
    {
        if (method == ResizeMethod.Nearest)
        {
            return [(Math.Min(n - 1, (int)Math.Floor((d + 0.5) * n / m)), 1.0)];
        }

        if (method == ResizeMethod.Area && n >= m)
        {
            // Supersample: split every source pixel into m cells; output d is the mean of cells d*n .. d*n + n - 1.
            var sums = new Dictionary<int, double>();
            for (int cell = d * n; cell < (d + 1) * n; cell++)
            {
                sums[cell / m] = sums.GetValueOrDefault(cell / m) + (1.0 / n);
            }

            return [.. sums.Select(kv => (kv.Key, kv.Value))];
        }

        // torch: src = scale * (d + 0.5) - 0.5 clamped at 0; x1 = min(x0 + 1, n - 1); lambda = src - x0.
        double src = Math.Max(0, (((double)n / m) * (d + 0.5)) - 0.5);
        int i0 = Math.Min((int)src, n - 1);
        int i1 = Math.Min(i0 + 1, n - 1);
        double l1 = i0 == n - 1 ? 0 : src - i0;
        return [(i0, 1 - l1), (i1, l1)];
    }
}
