namespace EdgeCnn.Converter.Quantization;

/// <summary>
/// Chooses an activation's real range [low, high] (always containing 0, so 0 is exact in int8) from its calibration
/// statistics. Clipping methods search candidate ranges that shrink [min, max] towards 0 by a common factor, so the
/// zero point stays where the data puts it.
/// </summary>
public static class RangeSelector
{
    private const int Levels = 255; // int8 steps across the range

    /// <summary>Candidate shrink factors t = k / 128 for k = MinK..128: at least 255 histogram bins per candidate.</summary>
    private const int MinK = 20;

    public static (float Low, float High) Select(TensorStatistics stats, CalibrationMethod method, double percentile = 99.99)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (!stats.HasValues)
        {
            return (0f, 0f);
        }

        float min = MathF.Min(stats.Min, 0f), max = MathF.Max(stats.Max, 0f);
        if (method == CalibrationMethod.MinMax || stats.Histogram is null || !(max > min))
        {
            return (min, max);
        }

        return method switch
        {
            CalibrationMethod.Percentile => Percentile(stats, percentile),
            CalibrationMethod.Entropy => Best(stats, KlDivergence),
            _ => Best(stats, ExpectedSquaredError),
        };
    }

    private static (float Low, float High) Percentile(TensorStatistics s, double percentile)
    {
        long[] h = s.Histogram!;
        long total = h.Sum();
        long tail = (long)Math.Floor(total * (100.0 - percentile) / 100.0);
        int lowBin = 0;
        for (long seen = 0; lowBin < h.Length - 1 && seen + h[lowBin] <= tail; lowBin++)
        {
            seen += h[lowBin];
        }

        int highBin = h.Length - 1;
        for (long seen = 0; highBin > 0 && seen + h[highBin] <= tail; highBin--)
        {
            seen += h[highBin];
        }

        float width = (s.HistogramHigh - s.HistogramLow) / h.Length;
        float low = MathF.Max(s.HistogramLow + (lowBin * width), s.Min);
        float high = MathF.Min(s.HistogramLow + ((highBin + 1) * width), s.Max);
        return (MathF.Min(low, 0f), MathF.Max(high, 0f));
    }

    /// <summary>
    /// Searches the low and the high end separately (coordinate descent, alternating, until neither moves): each end takes
    /// candidates between the zero bin and the histogram's edge, shrinking by 1/128 of that side's extent down to
    /// <see cref="MinK"/>/128, keeping at least 255 bins in the range. An outlier on one side then clips only that side.
    /// </summary>
    private static (float Low, float High) Best(TensorStatistics s, Func<long[], int, int, double> cost)
    {
        long[] h = s.Histogram!;
        int bins = h.Length;
        double zero = (0.0 - s.HistogramLow) / (s.HistogramHigh - s.HistogramLow) * bins;
        int[] lows = Enumerable.Range(MinK, 128 - MinK + 1).Select(k => Math.Clamp((int)Math.Round(zero - (zero * k / 128.0)), 0, bins)).Distinct().ToArray();
        int[] highs = Enumerable.Range(MinK, 128 - MinK + 1).Select(k => Math.Clamp((int)Math.Round(zero + ((bins - zero) * k / 128.0)), 0, bins)).Distinct().ToArray();
        int a = 0, b = bins;
        double best = cost(h, a, b);
        for (int round = 0; round < 8; round++)
        {
            bool moved = false;
            foreach (int candidate in highs)
            {
                double c = candidate - a >= Levels ? cost(h, a, candidate) : double.PositiveInfinity;
                if (c < best - 1e-12)
                {
                    (best, b, moved) = (c, candidate, true);
                }
            }

            foreach (int candidate in lows)
            {
                double c = b - candidate >= Levels ? cost(h, candidate, b) : double.PositiveInfinity;
                if (c < best - 1e-12)
                {
                    (best, a, moved) = (c, candidate, true);
                }
            }

            if (!moved)
            {
                break;
            }
        }

        float width = (s.HistogramHigh - s.HistogramLow) / bins;
        float low = a == 0 ? s.Min : s.HistogramLow + (a * width);
        float high = b == bins ? s.Max : s.HistogramLow + (b * width);
        return (MathF.Min(low, 0f), MathF.Max(high, 0f));
    }

    /// <summary>
    /// Expected squared error per value, in bin units: step^2 / 12 of rounding for values inside [a, b), the distance to the
    /// nearest edge squared for values outside (clipped), over the histogram's bin centres.
    /// </summary>
    private static double ExpectedSquaredError(long[] h, int a, int b)
    {
        double step = (double)(b - a) / Levels;
        double rounding = step * step / 12.0, err = 0;
        for (int i = 0; i < h.Length; i++)
        {
            if (h[i] == 0)
            {
                continue;
            }

            double centre = i + 0.5;
            double d = centre < a ? a - centre : centre > b ? centre - b : 0;
            err += h[i] * ((d * d) + rounding);
        }

        return err;
    }

    /// <summary>
    /// TensorRT's entropy calibration over [a, b): P is the histogram there with the values outside added to the edge bins;
    /// Q spreads each of the 255 int8 levels' share of P over that level's non-empty bins; the cost is KL(P || Q).
    /// </summary>
    private static double KlDivergence(long[] h, int a, int b)
    {
        int n = b - a;
        var p = new double[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = h[a + i];
        }

        for (int i = 0; i < a; i++)
        {
            p[0] += h[i];
        }

        for (int i = b; i < h.Length; i++)
        {
            p[n - 1] += h[i];
        }

        var q = new double[n];
        for (int level = 0; level < Levels; level++)
        {
            int start = (int)((long)level * n / Levels), end = (int)((long)(level + 1) * n / Levels);
            double sum = 0;
            int nonEmpty = 0;
            for (int i = start; i < end; i++)
            {
                sum += h[a + i];
                nonEmpty += h[a + i] > 0 ? 1 : 0;
            }

            for (int i = start; i < end; i++)
            {
                q[i] = nonEmpty > 0 && h[a + i] > 0 ? sum / nonEmpty : 0;
            }
        }

        double pSum = p.Sum(), qSum = q.Sum();
        if (pSum <= 0 || qSum <= 0)
        {
            return double.PositiveInfinity;
        }

        const double Epsilon = 1e-10; // Q's mass where P has mass but the level held no in-range value (an outlier bin)
        double kl = 0;
        for (int i = 0; i < n; i++)
        {
            if (p[i] <= 0)
            {
                continue;
            }

            double pi = p[i] / pSum, qi = Math.Max(q[i] / qSum, Epsilon);
            kl += pi * Math.Log(pi / qi);
        }

        return kl;
    }
}
