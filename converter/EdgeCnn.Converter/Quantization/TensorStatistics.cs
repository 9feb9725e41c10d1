namespace EdgeCnn.Converter.Quantization;

/// <summary>
/// What calibration saw of one fp32 tensor: its exact minimum and maximum, and (when a range method needs it) a histogram
/// of its values over a fixed range. The histogram's range is the min/max of a first pass, so counts from several
/// threads add exactly and the chosen ranges do not depend on the thread count.
/// </summary>
public sealed class TensorStatistics
{
    /// <summary>Bins of every histogram: 8 per int8 step over the full range, enough for KL and MSE searches.</summary>
    public const int Bins = 2048;

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>Values seen (NaN excluded).</summary>
    public long Count { get; private set; }

    /// <summary>Histogram counts over [HistogramLow, HistogramHigh], or null when only min/max is collected.</summary>
    public long[]? Histogram { get; private set; }

    public float HistogramLow { get; private set; }

    public float HistogramHigh { get; private set; }

    public bool HasValues => Count > 0;

    public void AddRange(ReadOnlySpan<float> values)
    {
        float lo = Min, hi = Max;
        long n = 0;
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            lo = MathF.Min(lo, v);
            hi = MathF.Max(hi, v);
            n++;
        }

        Min = lo;
        Max = hi;
        Count += n;
    }

    /// <summary>Starts a histogram over [low, high] (the first pass's range, widened to contain 0).</summary>
    public void StartHistogram(float low, float high)
    {
        HistogramLow = MathF.Min(low, 0f);
        HistogramHigh = MathF.Max(high, 0f);
        Histogram = new long[Bins];
    }

    public void AddToHistogram(ReadOnlySpan<float> values)
    {
        long[] h = Histogram ?? throw new InvalidOperationException("StartHistogram first");
        float lo = HistogramLow, width = HistogramHigh - HistogramLow;
        if (!(width > 0f))
        {
            foreach (float v in values)
            {
                h[0] += float.IsNaN(v) ? 0 : 1;
            }

            return;
        }

        float perUnit = Bins / width;
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            int b = (int)((v - lo) * perUnit);
            h[Math.Clamp(b, 0, Bins - 1)]++;
        }
    }

    /// <summary>Adds another thread's statistics of the same tensor (histograms must share the range).</summary>
    public void Merge(TensorStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Min = MathF.Min(Min, other.Min);
        Max = MathF.Max(Max, other.Max);
        Count += other.Count;
        if (other.Histogram is { } oh)
        {
            if (Histogram is null)
            {
                StartHistogram(other.HistogramLow, other.HistogramHigh);
            }

            for (int i = 0; i < Bins; i++)
            {
                Histogram![i] += oh[i];
            }
        }
    }
}
