using System.Diagnostics;
using System.Globalization;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Bench.Kernels;

/// <summary>
/// `fraction [filter]`: each layer case's GFLOP/s as a fraction of the FMA peak, measured interleaved in one process: rounds
/// of (peak loop, one kernel run), keeping the fastest of each. On a shared, loaded machine the minimum is the run that got
/// the core to itself, so the ratio of minimums compares the kernel with the peak under the same conditions, which
/// BenchmarkDotNet's means, taken minutes apart, do not.
/// </summary>
internal static class PeakFraction
{
    public static void Run(string? filter)
    {
        var peak = new FmaPeakBenchmark();
        Console.WriteLine($"{"case",-72} {"best ms",9} {"GFLOP/s",8} {"peak",6} {"of peak",8}");
        foreach (string c in ConvBenchmarks.Cases().Where(c => filter is null || c.Contains(filter, StringComparison.Ordinal)))
        {
            (string kernel, LayerShape shape) = ConvBenchmarks.Parse(c);
            using InferenceSession session = shape.Build().BuildSession(new SessionOptions { KernelFilter = k => string.Equals(k.Name, kernel, StringComparison.Ordinal) });
            string chosen = session.Kernels.Single(k => k is not null)!.Name;
            if (!string.Equals(chosen, kernel, StringComparison.Ordinal))
            {
                Console.WriteLine($"{c,-72} refused: Plan chose {chosen}");
                continue;
            }

            session.Input<float>(0).Fill(0.5f);
            session.Run();
            double bestPeak = double.MaxValue, bestRun = double.MaxValue;
            var clock = Stopwatch.StartNew();
            int rounds = 0;
            while (rounds < 15 || (clock.Elapsed.TotalSeconds < 3 && rounds < 400))
            {
                long t0 = Stopwatch.GetTimestamp();
                peak.Peak();
                long t1 = Stopwatch.GetTimestamp();
                session.Run();
                long t2 = Stopwatch.GetTimestamp();
                bestPeak = Math.Min(bestPeak, (t1 - t0) * 1e9 / Stopwatch.Frequency);
                bestRun = Math.Min(bestRun, (t2 - t1) * 1e9 / Stopwatch.Frequency);
                rounds++;
            }

            double peakGflops = 2.0 * FmaPeakBenchmark.FmaPerRun * FmaPeakBenchmark.Lanes / bestPeak;
            double gflops = 2.0 * shape.Macs / bestRun;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c,-72} {bestRun / 1e6,9:F3} {gflops,8:F1} {peakGflops,6:F1} {100 * gflops / peakGflops,7:F0}%"));
        }
    }
}
