using System.Diagnostics;
using System.Globalization;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.App;

/// <summary>
/// The main job on its embedded default: the built-in model on synthetic camera frames. Each frame is preprocessed straight
/// into the model's input, run, and its prediction checked against the frame's label; latency and allocation are measured
/// over the frame loop.
/// </summary>
internal static class DemoCommand
{
    public static int Run(int frames, string? saveModelPath, TextWriter output)
    {
        byte[] model = BuiltInModel.Build();
        if (saveModelPath is not null)
        {
            File.WriteAllBytes(saveModelPath, model);
        }

        using InferenceSession session = InferenceSession.Load(model);
        string[] labels = (session.Model.GetMetadata("labels") ?? string.Empty).Split(',');
        int size = BuiltInModel.Size;
        var source = new SyntheticPatternSource(size, size, frames, seed: 2026);
        var pixels = new byte[size * size];
        var latencyTicks = new long[frames];
        var predicted = new int[frames];
        var truth = new int[frames];
        var confidence = new float[frames];
        Span<float> input = session.Input<float>(0);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"EdgeCnn demo: built-in pattern classifier on {frames} synthetic {size}x{size} frames (no camera attached, no model given)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {model.Length} bytes .ecnn, {session.Model.Nodes.Count} nodes, arena {session.ArenaBytes} bytes"));

        // Warm-up: under the JIT the first runs compile and re-tier the kernels; a NativeAOT binary needs none of it.
        const int warmUpRuns = 50;
        for (int i = 0; i < warmUpRuns; i++)
        {
            session.Run();
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        int n = 0;
        while (n < frames && source.TryRead(pixels, out FrameInfo info))
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < pixels.Length; i++)
            {
                input[i] = (pixels[i] - 127.5f) / 127.5f;
            }

            session.Run();
            ReadOnlySpan<float> p = session.Output<float>(0);
            int best = 0;
            for (int c = 1; c < p.Length; c++)
            {
                if (p[c] > p[best])
                {
                    best = c;
                }
            }

            latencyTicks[n] = Stopwatch.GetTimestamp() - start;
            predicted[n] = best;
            confidence[n] = p[best];
            truth[n] = info.Label;
            n++;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            correct += predicted[i] == truth[i] ? 1 : 0;
            if (i < 6)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"frame {i}: {labels[predicted[i]]} ({confidence[i]:F3})  truth {labels[truth[i]]}  {(predicted[i] == truth[i] ? "ok" : "WRONG")}"));
            }
        }

        Array.Sort(latencyTicks, 0, n);
        double Ms(double q) => latencyTicks[Math.Min(n - 1, (int)(q * n))] * 1000.0 / Stopwatch.Frequency;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {correct}/{n} = {100.0 * correct / Math.Max(n, 1):F1}%"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency per frame (preprocess + inference, after {warmUpRuns} warm-up runs): p50 {Ms(0.5):F3} ms, p90 {Ms(0.9):F3} ms, p99 {Ms(0.99):F3} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated in the frame loop: {allocated} bytes"));
        return n > 0 && correct * 10 >= n * 9 ? 0 : 1;
    }
}
