using System.Globalization;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.App;

/// <summary>
/// The main job's embedded default: the trained Fashion-MNIST classifier (converter/training, 92.89% top-1 on the
/// 10,000 test images in PyTorch) and the first 1,000 Fashion-MNIST test images with labels, built into the binary
/// (Resources/make_resources.sh), so a device with no camera and no model file still runs the real pipeline.
/// </summary>
internal static class EmbeddedDefault
{
    public const int MaxFrames = 1000;

    public static byte[] Model() => Resource("fashion_mnist_cnn.ecnn");

    public static IdxFrameSource Frames(int count) => Frames(count, loop: false, count);

    /// <summary>The bundled frames; with loop, repeated until maxFrames have been read.</summary>
    public static IdxFrameSource Frames(int count, bool loop, long maxFrames) =>
        new(Resource("fashion_mnist_frames-images-idx3-ubyte.gz"), Resource("fashion_mnist_frames-labels-idx1-ubyte.gz"), loop ? maxFrames : Math.Min(count, maxFrames), loop);

    public static int Run(int frames, string? saveModelPath, TextWriter output)
    {
        int n = Math.Min(frames, MaxFrames);
        string title = string.Create(CultureInfo.InvariantCulture,
            $"EdgeCnn: the embedded Fashion-MNIST classifier on {n} bundled 28x28 test frames (no camera attached, no model given)");
        return DemoCommand.Classify(Model(), Frames(n), n, title, saveModelPath, output);
    }

    private static byte[] Resource(string name)
    {
        using Stream stream = typeof(EmbeddedDefault).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is not embedded in this build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
