using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Evaluation;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Converter.Tests.Evaluation;

/// <summary>
/// The trained Fashion-MNIST model quantized to int8, calibrated on training images: within 0.5 points of fp32 top-1 on
/// the first 1,000 test images (all 10,000: README), and at most 0.27x the size of its ONNX file.
/// </summary>
public class SampleModelInt8Tests
{
    private const string Dataset = "/usr/share/datasets/fashion-mnist/";
    private const string Preprocess = """{"scale":0.00392156862745098}""";

    [Fact]
    public void Int8_keeps_top1_within_half_a_point_and_the_file_under_027x_of_the_onnx()
    {
        Assert.True(File.Exists(Dataset + "train-images-idx3-ubyte.gz"), "Debian's dataset-fashion-mnist is missing: run `bash tests/run`");
        string onnx = Repo("converter/training/fashion_mnist_cnn.onnx");
        ConversionResult fp32 = OnnxConverter.Convert(onnx, new ConversionOptions { Metadata = [new("preprocess", Preprocess)] });
        var calibration = new IdxCalibrationSource(Dataset + "train-images-idx3-ubyte.gz", PreprocessSpec.Parse(Preprocess), [1, 1, 28, 28], 200);
        Int8Result r = Int8Conversion.Convert(fp32, calibration, new Int8Options { Threads = 2, MeasureSamples = 10 });

        Assert.All(r.Model.Layers.Where(l => l.Op != Runtime.Graph.OpCode.Transpose),
            l => Assert.True(l.Precision == LayerPrecision.Int8, $"{l.Name}: {l.Reason}"));
        double ratio = (double)r.Ecnn.Length / new FileInfo(onnx).Length;
        Assert.True(ratio <= 0.27, $"int8 .ecnn is {ratio:F3}x the ONNX file");
        Assert.True(r.Errors.Outputs[0].SqnrDb > 30, $"output SQNR {r.Errors.Outputs[0].SqnrDb:F1} dB");

        Top1Result int8 = ClassifierEvaluator.Top1(r.Ecnn, File.ReadAllBytes(Dataset + "t10k-images-idx3-ubyte.gz"),
            File.ReadAllBytes(Dataset + "t10k-labels-idx1-ubyte.gz"), limit: 1000, threads: 2);
        Assert.Equal(1000, int8.Total);
        Assert.True(Math.Abs(int8.Correct - 938) <= 5, $"int8 top-1 {int8.Correct}/1000; fp32 is 938/1000 (SampleModelTests)");
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
