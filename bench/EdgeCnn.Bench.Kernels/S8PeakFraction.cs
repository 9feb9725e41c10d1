using System.Diagnostics;
using System.Globalization;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.Kernels;

/// <summary>
/// `s8fraction [filter]`: each int8 case's GMAC/s as a fraction of the int8 peak (S8PeakBenchmark: VPDPBUSD with AVX-VNNI,
/// else VPMADDWD), measured interleaved in one process as PeakFraction does for fp32: rounds of (peak loop, one kernel run),
/// keeping the fastest of each, so the ratio compares the kernel with the peak under the same machine load.
/// </summary>
internal static class S8PeakFraction
{
    public static void Run(string? filter)
    {
        var peak = new S8PeakBenchmark();
        if (S8PeakBenchmark.MacsPerRun == 0)
        {
            Console.WriteLine("no int8 peak to measure on this CPU (needs AVX2)");
            return;
        }

        Console.WriteLine($"{"case",-72} {"best ms",9} {"GMAC/s",8} {"peak",6} {"of peak",8}");
        foreach (string c in ConvS8Benchmarks.S8Cases().Where(c => filter is null || c.Contains(filter, StringComparison.Ordinal)))
        {
            (string kernel, LayerShape shape) = ConvBenchmarks.Parse(c);
            using InferenceSession session = ConvS8Benchmarks.Int8Model(shape).BuildSession(SessionOptions.Only(kernel));
            string chosen = session.Kernels.Single(k => k is not null)!.Name;
            if (!string.Equals(chosen, kernel, StringComparison.Ordinal))
            {
                Console.WriteLine($"{c,-72} refused: Plan chose {chosen}");
                continue;
            }

            session.Input<sbyte>(0).Fill(17);

            // Warm up for 0.5 s first: the JIT promotes a kernel's loops to optimized code after 30 calls plus a background
            // delay, and a sub-0.1 ms kernel could otherwise finish its measured rounds before that (the first case of a
            // run was measured 8x slow that way).
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < 0.5)
            {
                session.Run();
            }

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

            double peakGmacs = S8PeakBenchmark.MacsPerRun / bestPeak;
            double gmacs = shape.Macs / bestRun;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c,-72} {bestRun / 1e6,9:F3} {gmacs,8:F1} {peakGmacs,6:F1} {100 * gmacs / peakGmacs,7:F0}%"));
        }
    }
}
