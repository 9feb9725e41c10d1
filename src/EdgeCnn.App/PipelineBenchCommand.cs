using System.Diagnostics;
using System.Globalization;
using EdgeCnn.App.Pipeline;
using EdgeCnn.Device.Config;
using EdgeCnn.Device.Output;
using EdgeCnn.Runtime.Diagnostics;

namespace EdgeCnn.App;

/// <summary>
/// edgecnn-run bench --config FILE: what a deployment costs.
/// <list type="number">
/// <item>Cold start to first result: this binary is started again as a child (<c>run --config FILE --frames 1</c>) and timed
/// from process start to its first frame's JSON line on stdout: loading, planning, opening the source, the first frame.</item>
/// <item>Per-frame latency, split into capture, preprocess, inference and action (postprocess, rules, JSON line, watchdog),
/// measured in this process over --frames frames after --warmup frames, with percentiles per stage.</item>
/// </list>
/// </summary>
internal static class PipelineBenchCommand
{
    public static int Run(string configPath, int frames, int warmup, int coldStarts, TextWriter output)
    {
        EdgeConfig config = ConfigLoader.Load(configPath);
        CultureInfo inv = CultureInfo.InvariantCulture;
        bool aot = System.Runtime.JitInfo.GetCompiledMethodCount() == 0;
        output.WriteLine(string.Create(inv, $"edgecnn-run bench --config {configPath} ({(aot ? "NativeAOT" : "JIT")}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture})"));

        if (coldStarts > 0)
        {
            var ms = new List<double>();
            for (int i = 0; i < coldStarts; i++)
            {
                ms.Add(ColdStartMs(configPath));
            }

            ms.Sort();
            output.WriteLine(string.Create(inv,
                $"cold start to first result ({coldStarts} runs of `run --config ... --frames 1`, process start to first frame line): min {ms[0]:F1} ms, median {Percentiles.Of(ms.ToArray(), 50):F1} ms, max {ms[^1]:F1} ms"));
        }

        config.Frames = 0;
        using var sink = new JsonLinesWriter(Stream.Null, ownsStream: false);
        using var pipeline = new EdgePipeline(config, configPath, output: sink);
        var perFrame = new StageTicks[frames];
        var discard = default(StageTicks);
        for (int i = 0; i < warmup; i++)
        {
            if (!pipeline.Step(ref discard))
            {
                throw new RunFailedException($"the source ended during warm-up after {i} frames: set \"loop\": true or use fewer frames");
            }
        }

        int n = 0;
        while (n < frames && pipeline.Step(ref perFrame[n]))
        {
            n++;
        }

        if (n == 0)
        {
            throw new RunFailedException("the source ended right after warm-up: no frame to time; set \"loop\": true or use fewer warm-up frames");
        }

        output.WriteLine(string.Create(inv, $"per-frame latency over {n} frames after {warmup} warm-up frames (source {config.Source.Type} {pipeline.Source.Format}, model {config.Model}):"));
        output.WriteLine("  stage        p50 ms    p90 ms    p99 ms   mean ms");
        Report(output, "capture", perFrame, n, t => t.Capture);
        Report(output, "preprocess", perFrame, n, t => t.Preprocess);
        Report(output, "inference", perFrame, n, t => t.Inference);
        Report(output, "action", perFrame, n, t => t.Action);
        Report(output, "total", perFrame, n, t => t.Capture + t.Preprocess + t.Inference + t.Action);
        return n > 0 ? 0 : 1;
    }

    private static void Report(TextWriter output, string stage, StageTicks[] ticks, int n, Func<StageTicks, long> select)
    {
        double[] ms = Percentiles.SortedMs([.. ticks.Take(n).Select(select)]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {stage,-10} {Percentiles.Of(ms, 50),8:F3}  {Percentiles.Of(ms, 90),8:F3}  {Percentiles.Of(ms, 99),8:F3}  {ms.Average(),8:F3}"));
    }

    private static double ColdStartMs(string configPath)
    {
        string self = Environment.ProcessPath ?? throw new RunFailedException("cannot find this executable's path");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!self.EndsWith("edgecnn-run", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgecnn-run.dll")); // under `dotnet edgecnn-run.dll`
        }

        foreach (string a in new[] { "run", "--config", configPath, "--frames", "1", "--json-lines", "stdout" })
        {
            start.ArgumentList.Add(a);
        }

        long t0 = Stopwatch.GetTimestamp();
        using Process p = Process.Start(start) ?? throw new RunFailedException($"could not start {self}");
        double ms = -1;
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null)
        {
            // the first frame's line; with everyNthFrame 0 there is none, and the "stopped" event that follows the one frame
            // of --frames 1 marks its end instead
            if (ms < 0 && (line.StartsWith("{\"frame\":", StringComparison.Ordinal) || line.StartsWith("{\"event\":\"stopped\"", StringComparison.Ordinal)))
            {
                ms = (Stopwatch.GetTimestamp() - t0) * 1000.0 / Stopwatch.Frequency;
            }
        }

        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return ms >= 0 && p.ExitCode == 0 ? ms : throw new RunFailedException($"the cold-start run failed (exit {p.ExitCode}): {errors.Trim()}");
    }
}
