using EdgeCnn.Bench.OnnxRuntime;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.SideBySide.Tests;

/// <summary>
/// The side-by-side tool on the Fashion-MNIST model: it converts, runs both runtimes, reports a ratio and writes a results
/// file that states machine, commit and command; a pair whose outputs differ is caught and fails the run.
/// </summary>
public sealed class SideBySideTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-sbs-").FullName;

    private static string Fashion => Path.Combine(OnnxRuntimePackage.FindRepositoryRoot(AppContext.BaseDirectory)!, "converter/training/fashion_mnist_cnn.onnx");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Converts_runs_both_and_writes_results_with_machine_commit_and_command()
    {
        string results = Path.Combine(_dir, "results.md"), json = Path.Combine(_dir, "results.json");
        string[] args = [Fashion, "--iterations", "3", "--warmup", "1", "--layers", "3", "--results", results, "--json", json];
        var output = new StringWriter();
        int exit = Program.Run(SideBySideOptions.Parse(args), args, output, TextWriter.Null);

        string table = output.ToString();
        Assert.True(exit == 0, table);
        Assert.Contains("| fashion_mnist_cnn | fp32 | 19,992,154 |", table, StringComparison.Ordinal);
        Assert.Contains("| agree |", table, StringComparison.Ordinal);
        Assert.DoesNotContain("| int8 |", table, StringComparison.Ordinal);
        string md = File.ReadAllText(results);
        foreach (string required in new[] { "- machine: ", "- commit: ", "- command: `edgecnn-sidebyside ", "- load average", "ONNX Runtime 1.30.0", "measured peak of one core" })
        {
            Assert.Contains(required, md, StringComparison.Ordinal);
        }

        Assert.Contains("\"outputs_agree\": true", File.ReadAllText(json), StringComparison.Ordinal);
        Assert.Contains("f32-", md, StringComparison.Ordinal); // the slowest layers name their kernels
    }

    [Fact]
    public void A_pair_that_agrees_passes_and_a_wrong_model_is_caught()
    {
        ConversionResult converted = OnnxConverter.Convert(Fashion);
        string same = Path.Combine(_dir, "fashion.ecnn");
        File.WriteAllBytes(same, converted.Ecnn);

        // Same input and output shapes, different computation: flatten -> random dense -> softmax.
        var b = new ModelBuilder();
        TensorRef x = b.Input(converted.InputNames[0], DataType.Float32, [1, 1, 28, 28]);
        var random = new Random(3);
        float[] w = new float[10 * 784];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (random.NextSingle() - 0.5f) * 0.2f;
        }

        TensorRef logits = b.Dense(b.Reshape(x, [1, 784]), b.Constant("w", w, [10, 784]));
        b.Output(b.Node(OpCode.Softmax, [logits], [NodeAttribute.Int(AttributeKey.Axis, -1)], name: converted.OutputNames[0]));
        string wrong = Path.Combine(_dir, "wrong.ecnn");
        File.WriteAllBytes(wrong, b.Build());

        string[] args = ["--pair", same, Fashion, "--pair", wrong, Fashion, "--iterations", "2", "--warmup", "1", "--layers", "0"];
        var output = new StringWriter();
        int exit = Program.Run(SideBySideOptions.Parse(args), args, output, TextWriter.Null);
        string[] rows = output.ToString().Split('\n').Where(l => l.StartsWith("| fashion.ecnn", StringComparison.Ordinal) || l.StartsWith("| wrong.ecnn", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains("| agree |", rows[0], StringComparison.Ordinal);
        Assert.Contains("DISAGREE", rows[1], StringComparison.Ordinal);
        Assert.Equal(1, exit);
    }

    [Fact]
    public void A_model_the_converter_refuses_is_a_row_with_its_error()
    {
        string bad = Path.Combine(_dir, "bad.onnx");
        File.WriteAllBytes(bad, [8, 1, 0xff, 0xff]);
        string[] args = [bad, "--iterations", "1"];
        var output = new StringWriter();
        Assert.Equal(1, Program.Run(SideBySideOptions.Parse(args), args, output, TextWriter.Null));
        Assert.Contains("| bad | fp32 |", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("error: ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_expand_zoo_folders_and_refuse_what_cannot_run()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "zoo", "resnet18"));
        File.WriteAllText(Path.Combine(_dir, "zoo", "resnet18", "model.onnx"), "");
        File.WriteAllText(Path.Combine(_dir, "zoo", "mnist-8.onnx"), "");
        string[] found = SideBySideOptions.Expand(Path.Combine(_dir, "zoo")).ToArray();
        Assert.Equal(["mnist-8", "resnet18"], found.Select(SideBySideOptions.NameOf).Order(StringComparer.Ordinal).ToArray());

        SideBySideOptions o = SideBySideOptions.Parse([Fashion, "--threads", "1", "--iterations", "7"]);
        Assert.Equal((1, 7, 3, 5), (o.Threads, o.Iterations, o.Warmup, o.Layers));
        Assert.Contains("no model given", Assert.Throws<UsageException>(() => SideBySideOptions.Parse(["--iterations", "3"])).Message, StringComparison.Ordinal);
        Assert.Contains("unknown option", Assert.Throws<UsageException>(() => SideBySideOptions.Parse([Fashion, "--fast"])).Message, StringComparison.Ordinal);
        Assert.Contains("neither", Assert.Throws<UsageException>(() => SideBySideOptions.Parse([Path.Combine(_dir, "absent")])).Message, StringComparison.Ordinal);
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        Assert.Contains("holds no", Assert.Throws<UsageException>(() => SideBySideOptions.Parse([empty])).Message, StringComparison.Ordinal);
        Assert.Equal(2, PairRunner.EdgeCnnOptions(2).Threads);
        Assert.Contains("--threads 65", Assert.Throws<UsageException>(() => PairRunner.EdgeCnnOptions(65)).Message, StringComparison.Ordinal);

        SideBySideOptions int8 = SideBySideOptions.Parse([Fashion, "--int8", "--calibration", "fashion_mnist_cnn=/data/x.gz", "--preprocess", "fashion_mnist_cnn={}"]);
        Assert.Equal(("/data/x.gz", "{}"), (int8.Calibration["fashion_mnist_cnn"], int8.Preprocess["fashion_mnist_cnn"]));
        Assert.Contains("apply to --int8 only", Assert.Throws<UsageException>(() => SideBySideOptions.Parse([Fashion, "--int8-dir", _dir])).Message, StringComparison.Ordinal);
        Assert.Contains("none of the models: fashion_mnist_cnn", Assert.Throws<UsageException>(() => SideBySideOptions.Parse([Fashion, "--int8", "--calibration", "resnet=/x"])).Message, StringComparison.Ordinal);
        Assert.Contains("takes NAME=VALUE", Assert.Throws<UsageException>(() => SideBySideOptions.Parse([Fashion, "--int8", "--calibration", "/x"])).Message, StringComparison.Ordinal);
        Assert.Contains("given twice", Assert.Throws<UsageException>(() => SideBySideOptions.Parse([Fashion, "--int8", "--preprocess", "a={}", "--preprocess", "a={}"])).Message, StringComparison.Ordinal);
    }
}
