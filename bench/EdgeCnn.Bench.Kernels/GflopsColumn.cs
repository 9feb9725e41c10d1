using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EdgeCnn.Bench.Kernels;

/// <summary>GFLOP/s of a case (2 x MACs / mean time), and its share of the FMA peak measured in the same summary.</summary>
public sealed class GflopsColumn(bool peakFraction) : IColumn
{
    public string Id => peakFraction ? "PeakFraction" : "GFLOPs";

    public string ColumnName => peakFraction ? "% of FMA peak" : "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => peakFraction ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => peakFraction
        ? "GFLOP/s as a percentage of FmaPeakBenchmark.Peak's in the same run"
        : "Billions of floating-point operations per second (2 per multiply-accumulate; FmaPeak: 2 x lanes per FMA)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? gflops = Gflops(summary, benchmarkCase);
        if (gflops is null)
        {
            return "-";
        }

        if (!peakFraction)
        {
            return gflops.Value.ToString("F1", CultureInfo.InvariantCulture);
        }

        BenchmarkCase? peak = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.Type == typeof(FmaPeakBenchmark));
        double? peakGflops = peak is null ? null : Gflops(summary, peak);
        return peakGflops is null ? "-" : (100 * gflops.Value / peakGflops.Value).ToString("F0", CultureInfo.InvariantCulture) + " %";
    }

    private static double? Gflops(Summary summary, BenchmarkCase c)
    {
        double? meanNs = summary[c]?.ResultStatistics?.Mean;
        if (meanNs is null or <= 0)
        {
            return null;
        }

        double flops;
        if (c.Descriptor.Type == typeof(FmaPeakBenchmark))
        {
            flops = 2.0 * FmaPeakBenchmark.FmaPerRun * FmaPeakBenchmark.Lanes;
        }
        else if (c.Parameters.Items.Any(p => string.Equals(p.Name, "Case", StringComparison.Ordinal)) && c.Parameters["Case"] is string value)
        {
            flops = 2.0 * ConvBenchmarks.Parse(value).Shape.Macs;
        }
        else if (c.Parameters.Items.Any(p => string.Equals(p.Name, "Shape", StringComparison.Ordinal)) && c.Parameters["Shape"] is string shape)
        {
            flops = 2.0 * LayerShape.Find(shape).Macs;
        }
        else
        {
            return null;
        }

        return flops / meanNs.Value; // FLOP per ns = GFLOP/s
    }
}
