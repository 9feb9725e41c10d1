using EdgeCnn.Runtime.Graph;
using EdgeCnn.Vision.Preprocessing;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.Converter.Evaluation;

/// <summary>Top-1 accuracy of a classifier .ecnn over a labelled IDX set.</summary>
public sealed record Top1Result(int Correct, int Total)
{
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>
/// Runs a classifier on every frame of a labelled source, preprocessed as the model's "preprocess" metadata states, with
/// one session per thread over interleaved frames.
/// </summary>
public static class ClassifierEvaluator
{
    /// <param name="progress">Called with (images done, total) as frames complete.</param>
    public static Top1Result Top1(byte[] ecnn, byte[] images, byte[] labels, int limit, int threads, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ecnn);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var probe = new IdxFrameSource(images, labels, limit);
        int total = checked((int)probe.Frames); // Count is the images in the file; Frames what the limit lets through
        int[] correct = new int[threads];
        int done = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            using InferenceSession session = InferenceSession.Load(ecnn);
            string? json = session.Model.GetMetadata("preprocess");
            PreprocessSpec preprocess = json is null ? PreprocessSpec.Identity : PreprocessSpec.Parse(json);
            var source = new IdxFrameSource(images, labels, limit);
            var pixels = new byte[source.Width * source.Height];
            Span<float> input = session.Input<float>(0);
            if (input.Length != pixels.Length)
            {
                throw new InvalidOperationException($"the model takes {input.Length} input values; the images have {pixels.Length} pixels");
            }

            for (int i = 0; source.TryRead(pixels, out FrameInfo info); i++)
            {
                if (i % threads != t)
                {
                    continue;
                }

                preprocess.ApplyGrey(pixels, input);
                session.Run();
                ReadOnlySpan<float> p = session.Output<float>(0);
                int best = 0;
                for (int c = 1; c < p.Length; c++)
                {
                    best = p[c] > p[best] ? c : best;
                }

                correct[t] += best == info.Label ? 1 : 0;
                progress?.Invoke(Interlocked.Increment(ref done), total);
            }
        });
        return new Top1Result(correct.Sum(), total);
    }
}
