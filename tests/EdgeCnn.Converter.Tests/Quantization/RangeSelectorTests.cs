using EdgeCnn.Converter.Quantization;

namespace EdgeCnn.Converter.Tests.Quantization;

public class RangeSelectorTests
{
    /// <summary>100,000 values ~ N(0, 1) (Box-Muller, fixed seed) and one outlier at <paramref name="outlier"/>.</summary>
    private static TensorStatistics GaussianWithOutlier(float outlier, bool relu = false)
    {
        var rng = new Random(7);
        var values = new float[100_001];
        for (int i = 0; i < values.Length - 1; i++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            values[i] = relu ? (float)Math.Max(0, g) : (float)g;
        }

        values[^1] = outlier;
        var s = new TensorStatistics();
        s.AddRange(values);
        s.StartHistogram(s.Min, s.Max);
        s.AddToHistogram(values);
        return s;
    }

    [Fact]
    public void Minmax_is_the_exact_range_widened_to_zero()
    {
        var s = new TensorStatistics();
        s.AddRange([0.5f, 3f, float.NaN, 1f]);
        Assert.Equal((0f, 3f), RangeSelector.Select(s, CalibrationMethod.MinMax));
        Assert.Equal(3, s.Count);
    }

    [Theory]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void Clipping_methods_ignore_a_single_far_outlier_but_keep_the_bulk(CalibrationMethod method)
    {
        TensorStatistics s = GaussianWithOutlier(60f);
        (float low, float high) = RangeSelector.Select(s, method);
        Assert.True(high < 30f, $"{method}: high {high} follows the outlier at 60");
        Assert.True(high > 2.5f && low < -2.5f, $"{method}: [{low}, {high}] clips the Gaussian bulk");
    }

    [Theory]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    [InlineData(CalibrationMethod.Mse)]
    public void A_relu_output_keeps_zero_as_its_low_end(CalibrationMethod method)
    {
        TensorStatistics s = GaussianWithOutlier(40f, relu: true);
        (float low, float high) = RangeSelector.Select(s, method);
        Assert.Equal(0f, low);
        Assert.InRange(high, 2f, 40f);
    }

    [Fact]
    public void Mse_clips_the_long_tails_of_laplace_data_but_not_the_bulk()
    {
        var rng = new Random(3);
        float[] values = Enumerable.Range(0, 200_000).Select(_ =>
        {
            double u = rng.NextDouble() - 0.5;
            return (float)(-Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u)))); // Laplace(0, 1)
        }).ToArray();
        var s = new TensorStatistics();
        s.AddRange(values);
        s.StartHistogram(s.Min, s.Max);
        s.AddToHistogram(values);
        (float low, float high) = RangeSelector.Select(s, CalibrationMethod.Mse);
        Assert.True(high < s.Max && low > s.Min, $"[{low}, {high}] vs observed [{s.Min}, {s.Max}]: no tail clipped");
        Assert.True(high > 5f && low < -5f, $"[{low}, {high}] clips the bulk");
    }

    [Fact]
    public void Mse_keeps_the_full_range_of_uniform_data()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (i / 9999f * 4f) - 1f).ToArray();
        var s = new TensorStatistics();
        s.AddRange(values);
        s.StartHistogram(s.Min, s.Max);
        s.AddToHistogram(values);
        (float low, float high) = RangeSelector.Select(s, CalibrationMethod.Mse);
        Assert.True(high > 2.8f && low < -0.7f, $"[{low}, {high}]: uniform data has nothing to clip");
    }

    [Fact]
    public void Merged_histograms_equal_one_histogram_of_all_values()
    {
        TensorStatistics all = GaussianWithOutlier(5f);
        var a = new TensorStatistics();
        var b = new TensorStatistics();
        a.StartHistogram(all.HistogramLow, all.HistogramHigh);
        b.StartHistogram(all.HistogramLow, all.HistogramHigh);
        var rng = new Random(7);
        float[] values = Enumerable.Range(0, 1000).Select(_ => (float)rng.NextDouble() * 4f).ToArray();
        a.AddToHistogram(values.AsSpan(0, 400));
        b.AddToHistogram(values.AsSpan(400));
        var one = new TensorStatistics();
        one.StartHistogram(all.HistogramLow, all.HistogramHigh);
        one.AddToHistogram(values);
        a.Merge(b);
        Assert.Equal(one.Histogram, a.Histogram);
    }
}
