using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Evaluation;
using EdgeCnn.Converter.Testing;

namespace EdgeCnn.Converter.Tests.Evaluation;

/// <summary>
/// The trained Fashion-MNIST sample model (converter/training): converted, it must agree with PyTorch on the committed
/// 100 test images, and keep its top-1 on the test set.
/// </summary>
public class SampleModelTests
{
    private const string Dataset = "/usr/share/datasets/fashion-mnist/";

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

    [Fact]
    public void Converted_model_agrees_with_pytorch_on_the_committed_100_test_images()
    {
        BackendCaseResult r = new BackendTestRunner().RunCase(Repo("converter/training/fashion_mnist_case"));
        Assert.True(r.Status == BackendTestStatus.Passed, $"{r.Status}: {r.Describe()}");
        Assert.Equal(100, r.DataSets);
        Assert.True(r.MaxAbsError < 1e-5, $"max abs error {r.MaxAbsError}");
    }

    [Fact]
    public void Top1_on_the_first_1000_test_images_is_the_measured_938()
    {
        Assert.True(File.Exists(Dataset + "t10k-images-idx3-ubyte.gz"),
            "Debian's dataset-fashion-mnist is missing: run the suite with `bash tests/run`, which installs it");
        ConversionResult converted = OnnxConverter.Convert(Repo("converter/training/fashion_mnist_cnn.onnx"), new ConversionOptions
        {
            Metadata = [new("preprocess", """{"scale":0.00392156862745098,"mean":[0],"std":[1]}""")],
        });
        // Measured 2026-11-21 with `edgecnn-convert eval ... --limit 1000`; all 10,000: see converter/training/README.md.
        Top1Result r = ClassifierEvaluator.Top1(converted.Ecnn, File.ReadAllBytes(Dataset + "t10k-images-idx3-ubyte.gz"),
            File.ReadAllBytes(Dataset + "t10k-labels-idx1-ubyte.gz"), limit: 1000, threads: 2);
        Assert.Equal(new Top1Result(938, 1000), r);
    }
}
