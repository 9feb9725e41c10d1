using EdgeCnn.Converter.Calibration;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Vision.Imaging;
using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Converter.Evaluation;

/// <summary>
/// Top-1 of a classifier over a folder holding one subfolder of images per class. A subfolder's class index is its
/// position in the model's "labels" metadata (comma-separated) when every subfolder is named there, else its position in
/// ordinal name order. Images are preprocessed by the model's "preprocess" metadata, one session per thread.
/// </summary>
public static class FolderEvaluator
{
    public static Top1Result Top1(byte[] ecnn, string folder, int limit, int threads, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ecnn);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        (string File, int Label)[] items = Items(ecnn, folder).Take(limit).ToArray();
        if (items.Length == 0)
        {
            throw new CalibrationException($"{folder}: no images in its class subfolders");
        }

        int[] correct = new int[threads];
        int done = 0;
        Parallels.Run(threads, t =>
        {
            using InferenceSession session = InferenceSession.Load(ecnn);
            string? json = session.Model.GetMetadata("preprocess");
            PreprocessSpec spec = json is null ? PreprocessSpec.Identity : PreprocessSpec.Parse(json);
            int[] shape = [.. session.Inputs[0].Shape];
            for (int i = t; i < items.Length; i += threads)
            {
                DecodedImage image;
                try
                {
                    image = ImageDecoder.DecodeFile(items[i].File);
                }
                catch (ImageFormatException e)
                {
                    throw new CalibrationException(e.Message, e);
                }

                PreprocessReference.Apply(image.AsView(), spec, shape, session.Input<float>(0));
                session.Run();
                ReadOnlySpan<float> p = session.Output<float>(0);
                int best = 0;
                for (int c = 1; c < p.Length; c++)
                {
                    best = p[c] > p[best] ? c : best;
                }

                correct[t] += best == items[i].Label ? 1 : 0;
                progress?.Invoke(Interlocked.Increment(ref done), items.Length);
            }
        });
        return new Top1Result(correct.Sum(), items.Length);
    }

    /// <summary>Every image with its class index, in a fixed order (class, then path).</summary>
    public static IEnumerable<(string File, int Label)> Items(byte[] ecnn, string folder)
    {
        string[] classes = Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
        {
            throw new CalibrationException($"{folder}: --eval DIR needs one subfolder of images per class; there are none");
        }

        string[] labels;
        using (var model = Runtime.Format.EcnnModel.Load(ecnn))
        {
            labels = (model.GetMetadata("labels") ?? "").Split(',', StringSplitOptions.TrimEntries);
        }

        bool byLabels = classes.All(c => labels.Contains(c, StringComparer.Ordinal));
        for (int k = 0; k < classes.Length; k++)
        {
            int label = byLabels ? Array.IndexOf(labels, classes[k]) : k;
            foreach (string f in ImageFolderCalibrationSource.ImageFiles(Path.Combine(folder, classes[k])))
            {
                yield return (f, label);
            }
        }
    }
}
