using System.Diagnostics;
using System.Globalization;
using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Vision.Preprocessing;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.App;

/// <summary>
/// The main job on an embedded default: a classifier on labelled frames with no camera attached. Each frame is preprocessed
/// straight into the model's input as the model's own metadata says, run, and its prediction checked against the frame's
/// label; latency and allocation are measured over the frame loop.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The built-in pattern classifier on synthetic stripes and checkerboards.</summary>
    public static int RunSynthetic(int frames, string? saveModelPath, string? saveFramesPrefix, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        byte[] model = BuiltInModel.Build();
        if (saveFramesPrefix is not null)
        {
            // the same frames the demo classifies, as an IDX file source (e.g. CI's soak)
            using var copy = new SyntheticPatternSource(BuiltInModel.Size, BuiltInModel.Size, frames, seed: 2026);
            int n = IdxWriter.Write(copy, frames, saveFramesPrefix + "-images-idx3-ubyte", saveFramesPrefix + "-labels-idx1-ubyte");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {n} frames to {saveFramesPrefix}-images-idx3-ubyte and {saveFramesPrefix}-labels-idx1-ubyte"));
        }

        var source = new SyntheticPatternSource(BuiltInModel.Size, BuiltInModel.Size, frames, seed: 2026);
        string title = string.Create(CultureInfo.InvariantCulture,
            $"EdgeCnn demo: built-in pattern classifier on {frames} synthetic {BuiltInModel.Size}x{BuiltInModel.Size} frames (no camera attached, no model given)");
        return Classify(model, source, frames, title, saveModelPath, output);
    }

    /// <summary>Runs a classifier model on a labelled source and prints predictions, accuracy, latency and allocations.</summary>
    public static int Classify(byte[] model, IFrameSource source, int frames, string title, string? saveModelPath, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        if (saveModelPath is not null)
        {
            File.WriteAllBytes(saveModelPath, model);
        }

        using InferenceSession session = InferenceSession.Load(model);
        string[] labels = (session.Model.GetMetadata("labels") ?? string.Empty).Split(',');
        string? preprocessJson = session.Model.GetMetadata("preprocess");
        PreprocessSpec preprocess = preprocessJson is null ? PreprocessSpec.Identity : PreprocessSpec.Parse(preprocessJson);
        var pixels = new byte[source.Format.FrameBytes];
        Span<float> input = session.Input<float>(0);
        if (input.Length != pixels.Length)
        {
            throw new InvalidOperationException($"the model takes {input.Length} input values; the frames have {pixels.Length} pixels");
        }

        var latencyTicks = new long[frames];
        var predicted = new int[frames];
        var truth = new int[frames];
        var confidence = new float[frames];
        output.WriteLine(title);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {model.Length} bytes .ecnn, {session.Model.Nodes.Count} nodes, arena {session.ArenaBytes} bytes"));

        // Warm-up: under the JIT the first runs compile and re-tier the kernels; a NativeAOT binary needs none of it.
        int warmUpRuns = System.Runtime.JitInfo.GetCompiledMethodCount() > 0 ? 20 : 0; // 0 methods JIT-compiled: NativeAOT
        for (int i = 0; i < warmUpRuns; i++)
        {
            session.Run();
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        int n = 0;
        while (n < frames && source.TryRead(pixels, out FrameInfo info))
        {
            long start = Stopwatch.GetTimestamp();
            preprocess.ApplyGrey(pixels, input);
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
                    $"frame {i}: {Label(labels, predicted[i])} ({confidence[i]:F3})  truth {Label(labels, truth[i])}  {(predicted[i] == truth[i] ? "ok" : "WRONG")}"));
            }
        }

        double[] sortedMs = Percentiles.SortedMs(latencyTicks.AsSpan(0, n));
        double Ms(double q) => n > 0 ? Percentiles.Of(sortedMs, q * 100) : double.NaN;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {correct}/{n} = {100.0 * correct / Math.Max(n, 1):F1}%"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency per frame (preprocess + inference, after {warmUpRuns} warm-up runs): p50 {Ms(0.5):F3} ms, p90 {Ms(0.9):F3} ms, p99 {Ms(0.99):F3} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated in the frame loop: {allocated} bytes"));
        return n > 0 && correct * 10 >= n * 8 ? 0 : 1;
    }

    private static string Label(string[] labels, int index) =>
        index >= 0 && index < labels.Length && labels[index].Length > 0 ? labels[index] : index.ToString(CultureInfo.InvariantCulture);
}
