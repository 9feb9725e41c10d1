using EdgeCnn.Converter.Conversion;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.App.Tests;

public class EmbeddedDefaultTests
{
    [Fact]
    public void Default_run_classifies_the_bundled_frames_without_allocating()
    {
        var output = new StringWriter();
        int exit = EmbeddedDefault.Run(30, null, output);
        string text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("frame 0: Ankle boot", text, StringComparison.Ordinal);
        Assert.Contains("allocated in the frame loop: 0 bytes", text, StringComparison.Ordinal);
        int correct = int.Parse(System.Text.RegularExpressions.Regex.Match(text, @"accuracy: (?<n>\d+)/30",
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(5)).Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(correct >= 27, text);
    }

    [Fact]
    public void Embedded_model_computes_what_the_committed_onnx_converts_to()
    {
        string onnx = Repo("converter/training/fashion_mnist_cnn.onnx");
        using InferenceSession embedded = InferenceSession.Load(EmbeddedDefault.Model());
        using InferenceSession fresh = InferenceSession.Load(OnnxConverter.Convert(onnx).Ecnn);
        Assert.Equal("T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot", embedded.Model.GetMetadata("labels"));
        IdxFrameSource frames = EmbeddedDefault.Frames(5);
        var pixels = new byte[28 * 28];
        while (frames.TryRead(pixels, out _))
        {
            foreach (InferenceSession s in new[] { embedded, fresh })
            {
                Span<float> x = s.Input<float>(0);
                for (int i = 0; i < pixels.Length; i++)
                {
                    x[i] = pixels[i] / 255f;
                }

                s.Run();
            }

            Assert.Equal(fresh.Output<float>(0).ToArray(), embedded.Output<float>(0).ToArray());
        }
    }

    [Fact]
    public void Embedded_frames_are_the_first_1000_test_images_with_labels()
    {
        IdxFrameSource frames = EmbeddedDefault.Frames(EmbeddedDefault.MaxFrames);
        Assert.Equal(1000, frames.Count);
        var pixels = new byte[28 * 28];
        Assert.True(frames.TryRead(pixels, out FrameInfo first));
        Assert.Equal(9, first.Label); // the Fashion-MNIST test set starts with an ankle boot
    }

    private static string Repo(string relative)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeCnn.sln")))
            {
                return Path.Combine(d.FullName, relative);
            }
        }

        throw new DirectoryNotFoundException("EdgeCnn.sln not found above the test binary");
    }
}
