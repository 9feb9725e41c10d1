using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Bench.Kernels;

/// <summary>
/// Every supported int8 Conv / Dense row of the kernel table on every layer shape of its family (the fp32 suite's shapes,
/// as int8 models: per-channel weights, per-tensor activations, int32 bias, fused Relu as a clamp): a planned one-node
/// session forced to that row, timed per Run. S8GmacsColumn gives GMAC/s; allocation (MemoryDiagnoser) must read 0 B.
/// </summary>
public class ConvS8Benchmarks
{
    private InferenceSession? _session;

    /// <summary>
    /// "kernel | shape" for every int8 row that accepts the shape (its family) and is supported here; with EDGECNN_BENCH_S8 set,
    /// only the cases containing that text (e.g. "gemm-4x8c4-minmax-avx2" for one kernel on every shape).
    /// </summary>
    public static IEnumerable<string> S8Cases() =>
        AllS8Cases().Where(c => Environment.GetEnvironmentVariable("EDGECNN_BENCH_S8") is not { Length: > 0 } only || c.Contains(only, StringComparison.Ordinal));

    private static IEnumerable<string> AllS8Cases()
    {
        foreach (LayerShape shape in LayerShape.All)
        {
            OpCode op = string.Equals(shape.Family, "dense", StringComparison.Ordinal) ? OpCode.Dense : OpCode.Conv;
            foreach (KernelInfo k in KernelTable.For(op, DataType.Int8).Where(k => k.IsSupported && !k.IsReference))
            {
                bool family = shape.Family switch
                {
                    "dw" => k.Name.Contains("-dw-", StringComparison.Ordinal) && (shape.K == 3 || !k.Name.Contains("-3x3-", StringComparison.Ordinal)),
                    "dense" => k.Name.Contains("-gemm-", StringComparison.Ordinal) || k.Name.Contains("-gemv-", StringComparison.Ordinal),
                    _ => k.Name.Contains("-gemm-", StringComparison.Ordinal),
                };
                if (family)
                {
                    yield return $"{k.Name} | {shape.Name}";
                }
            }
        }
    }

    [ParamsSource(nameof(S8Cases))]
    public string S8Case { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        (string kernel, LayerShape shape) = ConvBenchmarks.Parse(S8Case);
        _session = Int8Model(shape).BuildSession(SessionOptions.Only(kernel));
        string chosen = _session.Kernels.Single(k => k is not null)!.Name;
        if (!string.Equals(chosen, kernel, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{S8Case}: Plan chose {chosen}");
        }

        Span<sbyte> x = _session.Input<sbyte>(0);
        var rng = new Random(7);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (sbyte)rng.Next(-128, 128);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _session?.Dispose();

    [Benchmark]
    public void Run() => _session!.Run();

    /// <summary>The shape's single-node model in int8, weights and bias seeded.</summary>
    public static ModelBuilder Int8Model(LayerShape s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var rng = new Random(42);
        sbyte[] Weights(long n) => Enumerable.Range(0, checked((int)n)).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();
        int[] Bias(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(-5000, 5000)).ToArray();
        float[] scales = Enumerable.Range(0, s.O).Select(_ => 0.001f + (0.002f * (float)rng.NextDouble())).ToArray();
        QuantizationInfo qx = QuantizationInfo.PerTensor(0.05f, -3), qw = QuantizationInfo.PerAxis(scales, 0), qy = QuantizationInfo.PerTensor(0.1f, -128);
        var b = new ModelBuilder();
        if (string.Equals(s.Family, "dense", StringComparison.Ordinal))
        {
            TensorRef xd = b.Input("x", DataType.Int8, [1, s.C], qx);
            b.Output(b.Dense(xd, b.Constant("w", Weights((long)s.O * s.C), [s.O, s.C], qw), b.Constant("b", Bias(s.O), [s.O]), null, qy));
            return b;
        }

        TensorRef x = b.Input("x", DataType.Int8, [1, s.H, s.W, s.C], qx);
        TensorRef w = b.Constant("w", Weights((long)s.O * s.K * s.K * (s.C / s.Group)), [s.O, s.K, s.K, s.C / s.Group], qw);
        int p = s.K / 2;
        b.Output(b.Conv(x, w, b.Constant("b", Bias(s.O), [s.O]), new ConvOptions
        {
            Strides = [s.Stride, s.Stride], Pads = [p, p, p, p], Group = s.Group, Activation = FusedActivation.Relu,
        }, qy));
        return b;
    }
}

/// <summary>
/// int8 multiply-accumulates per second of a ConvS8Benchmarks case (the shape's MACs / mean time) or of S8PeakBenchmark, or
/// (peakFraction) a case's rate as a percentage of S8PeakBenchmark's in the same run.
/// </summary>
public sealed class S8GmacsColumn(bool peakFraction = false) : IColumn
{
    public string Id => peakFraction ? "S8PeakFraction" : "S8Gmacs";

    public string ColumnName => peakFraction ? "% of int8 peak" : "int8 GMAC/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => peakFraction ? 3 : 2;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => peakFraction
        ? "int8 GMAC/s as a percentage of S8PeakBenchmark.Peak's in the same run (VPDPBUSD with AVX-VNNI, else VPMADDWD)"
        : "Billions of int8 multiply-accumulates per second (the layer's MACs / mean time)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? gmacs = Gmacs(summary, benchmarkCase);
        if (gmacs is null)
        {
            return "-";
        }

        if (!peakFraction)
        {
            return gmacs.Value.ToString("F1", CultureInfo.InvariantCulture);
        }

        BenchmarkCase? peak = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.Type == typeof(S8PeakBenchmark));
        double? peakGmacs = peak is null || peak == benchmarkCase ? null : Gmacs(summary, peak);
        return peakGmacs is null or <= 0 ? "-" : (100 * gmacs.Value / peakGmacs.Value).ToString("F0", CultureInfo.InvariantCulture) + " %";
    }

    private static double? Gmacs(Summary summary, BenchmarkCase c)
    {
        double? meanNs = summary[c]?.ResultStatistics?.Mean;
        if (meanNs is null or <= 0)
        {
            return null;
        }

        if (c.Descriptor.Type == typeof(S8PeakBenchmark))
        {
            return S8PeakBenchmark.MacsPerRun > 0 ? S8PeakBenchmark.MacsPerRun / meanNs.Value : null;
        }

        if (!c.Parameters.Items.Any(p => string.Equals(p.Name, "S8Case", StringComparison.Ordinal)) || c.Parameters["S8Case"] is not string value)
        {
            return null;
        }

        return ConvBenchmarks.Parse(value).Shape.Macs / meanNs.Value; // MAC per ns = GMAC/s
    }
}
