using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeCnn.Bench.Kernels;

// `fraction [filter]`: kernels against the FMA peak, interleaved (PeakFraction). Otherwise BenchmarkDotNet, in-process (no generated project to build per run: this host is small and shared) with a short job; pass BenchmarkDotNet
// arguments through, e.g. `--filter *ConvBenchmarks*` or `--filter *Peak*`.
if (args.Length > 0 && string.Equals(args[0], "fraction", StringComparison.Ordinal))
{
    PeakFraction.Run(args.Length > 1 ? args[1] : null);
    return;
}

// `s8fraction [filter]`: the int8 kernels against the int8 peak, interleaved the same way (S8PeakFraction).
if (args.Length > 0 && string.Equals(args[0], "s8fraction", StringComparison.Ordinal))
{
    S8PeakFraction.Run(args.Length > 1 ? args[1] : null);
    return;
}

IConfig config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumn(new GflopsColumn(peakFraction: false), new GflopsColumn(peakFraction: true), new S8GmacsColumn(), new S8GmacsColumn(peakFraction: true))
    .WithSummaryStyle(BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(64))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(ConvBenchmarks).Assembly).Run(args, config);
