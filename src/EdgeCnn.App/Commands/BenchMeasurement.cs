using System.Diagnostics;
using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.App.Commands;

/// <summary>One layer's figures: median time over the timed runs and its work rate (null peak fraction: not a MAC layer).</summary>
internal sealed record LayerFigures(int Index, string Name, string Op, string Kernel, string Type, long Macs, bool IsWeighted,
    double MedianMs, double GMacsPerSecond, double? PeakFraction);

/// <summary>What `edgecnn-run bench` measured.</summary>
internal sealed record BenchFigures(
    int Threads,
    int Warmup,
    int Iterations,
    double MedianMs,
    double P90Ms,
    double P99Ms,
    double MinMs,
    long Macs,
    double GMacsPerSecond,
    double? PeakFraction,
    long AllocatedBytesPerRun,
    int Gen0Collections,
    long? PeakRssBytes,
    PeakMeasurement Fp32Peak,
    PeakMeasurement Int8Peak,
    IReadOnlyList<LayerFigures> Layers);

/// <summary>
/// Times a planned session: warm-up runs, then <c>iterations</c> timed Run() calls for the latency distribution and the
/// managed allocation count, then as many observed runs (<see cref="InferenceSession.Run{TObserver}(ref TObserver)"/>)
/// for each layer's median time. Both loops allocate nothing: every buffer is made before them.
/// </summary>
internal static class BenchMeasurement
{
    /// <summary>The least warm-up time when warm-up runs are asked for.</summary>
    public static readonly TimeSpan MinWarmup = TimeSpan.FromMilliseconds(500);

    public static BenchFigures Measure(InferenceSession session, int threads, int warmup, int iterations, PeakMeasurement fp32Peak, PeakMeasurement int8Peak)
    {
        int nodes = session.Model.Nodes.Count;
        long[] runTicks = new long[iterations];
        var timer = new LayerTimer(nodes, iterations);
        // The given warm-up runs, continued to at least MinWarmup when any are asked for: under the JIT (dotnet run) a
        // kernel runs unoptimized code until tiered compilation recompiles it, after 30 calls and a 100 ms delay.
        long warmStart = Stopwatch.GetTimestamp();
        int warmed = 0;
        while (warmed < warmup || (warmup > 0 && Stopwatch.GetElapsedTime(warmStart) < MinWarmup))
        {
            session.Run();
            warmed++;
        }

        int gen0 = GC.CollectionCount(0);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            session.Run();
            runTicks[i] = Stopwatch.GetTimestamp() - start;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        for (int i = 0; i < iterations; i++)
        {
            timer.BeginRun(i);
            session.Run(ref timer);
        }

        gen0 = GC.CollectionCount(0) - gen0;

        double[] runMs = Percentiles.SortedMs(runTicks);
        double medianMs = Percentiles.Of(runMs, 50);
        long[] macs = MacCounter.PerNode(session.Model);
        var layers = new LayerFigures[nodes];
        double atPeakSeconds = 0; // the time the weighted layers' MACs take at the measured peak
        bool anyWeighted = false;
        for (int k = 0; k < nodes; k++)
        {
            NodeDesc node = session.Model.Nodes[k];
            double ms = timer.MedianMs(k);
            bool isView = session.Kernels[k] is null; // reshape-like: shares its input's bytes and computes nothing
            double rate = ms > 0 && !isView ? macs[k] / (ms / 1e3) : 0;
            bool weighted = MacCounter.IsWeighted(node.Op);
            DataType type = session.Model.Tensors[node.Inputs[0] >= 0 ? node.Inputs[0] : node.Outputs[0]].Type;
            PeakMeasurement peak = type == DataType.Int8 ? int8Peak : fp32Peak;
            double? fraction = weighted && ms > 0 ? rate / peak.MacsPerSecond : null;
            if (weighted)
            {
                anyWeighted = true;
                atPeakSeconds += macs[k] / peak.MacsPerSecond;
            }

            layers[k] = new LayerFigures(k, node.Name, node.Op.ToString(), session.Kernels[k]?.Name ?? "view", type.Name(), macs[k], weighted,
                ms, rate / 1e9, fraction);
        }

        long totalMacs = macs.Sum();
        return new BenchFigures(threads, warmed, iterations, medianMs, Percentiles.Of(runMs, 90), Percentiles.Of(runMs, 99), runMs[0],
            totalMacs, totalMacs / (medianMs / 1e3) / 1e9, anyWeighted ? atPeakSeconds / (medianMs / 1e3) : null,
            allocated / iterations, gen0, PeakRss(), fp32Peak, int8Peak, layers);
    }

    /// <summary>Peak resident set size (VmHWM in /proc/self/status) in bytes, or null where there is no procfs.</summary>
    public static long? PeakRss()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries); // "VmHWM:", "40960", "kB"
                return parts.Length >= 2 && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long kb)
                    ? kb * 1024
                    : null;
            }
        }

        return null;
    }
}
