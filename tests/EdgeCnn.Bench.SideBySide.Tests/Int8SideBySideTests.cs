using EdgeCnn.Bench.OnnxRuntime;
using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.SideBySide.Tests;

/// <summary>
/// --int8: the tool quantizes in-process with the converter's quantizer, calibrated on the model's real data when it knows
/// it (Fashion-MNIST: its training IDX) and on a stated synthetic distribution otherwise, runs ONNX Runtime on the QDQ
/// export beside EdgeCnn on the int8 .ecnn, and an int8 model that computes something else is caught.
/// </summary>
public sealed class Int8SideBySideTests : IDisposable
{
    private const string FashionTrain = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-sbs-int8-").FullName;

    private static string Fashion => Path.Combine(OnnxRuntimePackage.FindRepositoryRoot(AppContext.BaseDirectory)!, "converter/training/fashion_mnist_cnn.onnx");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Int8_quantizes_on_the_training_images_runs_the_qdq_model_beside_it_and_reports_int8_kernels()
    {
        Assert.True(File.Exists(FashionTrain), "Debian's dataset-fashion-mnist is missing: run `bash tests/run`");
        string results = Path.Combine(_dir, "results.md"), json = Path.Combine(_dir, "results.json"), pairs = Path.Combine(_dir, "pairs");
        string[] args = [Fashion, "--int8", "--int8-dir", pairs, "--iterations", "3", "--warmup", "1", "--layers", "4", "--results", results, "--json", json];
        var output = new StringWriter();
        int exit = Program.Run(SideBySideOptions.Parse(args), args, output, TextWriter.Null);

        string table = output.ToString();
        Assert.True(exit == 0, table);
        string int8Row = table.Split('\n').Single(l => l.StartsWith("| fashion_mnist_cnn | int8 |", StringComparison.Ordinal));
        Assert.EndsWith("| agree |", int8Row.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("of 60000 images of " + FashionTrain, table, StringComparison.Ordinal);

        string md = File.ReadAllText(results);
        Assert.Contains("s8-conv-gemm", md, StringComparison.Ordinal); // the int8 layers are timed with their int8 kernels
        Assert.Contains("quantized by --int8: their first calibration sample", md, StringComparison.Ordinal);
        Assert.Contains("\"calibration\": \"its training images (IDX)", File.ReadAllText(json), StringComparison.Ordinal);

        // The pair is kept and is what it says: an int8 .ecnn and a QDQ ONNX model ONNX Runtime loads.
        byte[] ecnn = File.ReadAllBytes(Path.Combine(pairs, "fashion_mnist_cnn.int8.ecnn"));
        using (var session = InferenceSession.Load(ecnn))
        {
            Assert.Contains(session.Model.Tensors, t => t.Type == DataType.Int8);
        }

        using OrtSession qdq = OrtSession.Open(Path.Combine(pairs, "fashion_mnist_cnn.qdq.onnx"));
        Assert.Single(qdq.Inputs);
    }

    [Fact]
    public void A_model_with_no_known_data_is_calibrated_on_the_stated_synthetic_distribution_and_still_agrees()
    {
        string unseen = Path.Combine(_dir, "unseen.onnx");
        File.Copy(Fashion, unseen);
        string[] args = [unseen, "--int8", "--iterations", "2", "--warmup", "1", "--layers", "0"];
        var output = new StringWriter();
        int exit = Program.Run(SideBySideOptions.Parse(args), args, output, TextWriter.Null);

        string table = output.ToString();
        Assert.True(exit == 0, table);
        Assert.Contains("- unseen: no data known for this model: a synthetic distribution, 16 inputs uniform in [0, 1) (seed 7)", table, StringComparison.Ordinal);
        Assert.Contains("| unseen | int8 |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void An_int8_model_that_computes_something_else_is_caught_within_the_int8_tolerance()
    {
        string pairs = Path.Combine(_dir, "pairs");
        string[] make = [Fashion, "--int8", "--int8-dir", pairs, "--calibration", $"fashion_mnist_cnn={FashionTrain}",
            "--preprocess", "fashion_mnist_cnn={\"scale\":0.00392156862745098}", "--iterations", "1", "--warmup", "1", "--layers", "0"];
        Assert.Equal(0, Program.Run(SideBySideOptions.Parse(make), make, new StringWriter(), TextWriter.Null));
        string qdq = Path.Combine(pairs, "fashion_mnist_cnn.qdq.onnx");

        // Same input and output, different computation (flatten -> random dense -> softmax), quantized the same way.
        ConversionResult fashion = OnnxConverter.Convert(Fashion);
        var b = new ModelBuilder();
        TensorRef x = b.Input(fashion.InputNames[0], DataType.Float32, [1, 1, 28, 28]);
        var random = new Random(3);
        float[] w = new float[10 * 784];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (random.NextSingle() - 0.5f) * 0.2f;
        }

        TensorRef logits = b.Dense(b.Reshape(x, [1, 784]), b.Constant("w", w, [10, 784]));
        b.Output(b.Node(OpCode.Softmax, [logits], [NodeAttribute.Int(AttributeKey.Axis, -1)], name: fashion.OutputNames[0]));
        float[][] samples = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 784).Select(_ => random.NextSingle()).ToArray()).ToArray();
        Int8Result wrongInt8 = Int8Conversion.Convert(b.Definition, new TensorCalibrationSource(samples), new Int8Options { Threads = 1, MeasureSamples = 2 });
        string wrong = Path.Combine(_dir, "wrong.int8.ecnn");
        File.WriteAllBytes(wrong, wrongInt8.Ecnn);

        string[] args = ["--pair", Path.Combine(pairs, "fashion_mnist_cnn.int8.ecnn"), qdq, "--pair", wrong, qdq, "--iterations", "1", "--warmup", "1", "--layers", "0"];
        var output = new StringWriter();
        int exit = Program.Run(SideBySideOptions.Parse(args), args, output, TextWriter.Null);
        string[] rows = output.ToString().Split('\n').Where(l => l.StartsWith("| fashion_mnist_cnn.int8.ecnn", StringComparison.Ordinal) || l.StartsWith("| wrong.int8.ecnn", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains("| int8 |", rows[0], StringComparison.Ordinal);
        Assert.Contains("| agree |", rows[0], StringComparison.Ordinal);
        Assert.Contains("| int8 |", rows[1], StringComparison.Ordinal);
        Assert.Contains("DISAGREE", rows[1], StringComparison.Ordinal);
        Assert.Equal(1, exit);
    }
}
