using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Runtime.Graph;
using Google.Protobuf;
using static EdgeCnn.Converter.Tests.Testing.OnnxCaseWriter;

namespace EdgeCnn.Converter.Cli.Tests;

public sealed class ConvertCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-cli-convert").FullName;

    [Fact]
    public void Converts_a_model_and_prints_a_summary()
    {
        string onnx = Save("pass.onnx", PassThrough([1, 3, 4, 4]));
        string ecnn = Path.Combine(_dir, "pass.ecnn");
        (int exit, string text, string err) = CliAppTests.Run("convert", onnx, "-o", ecnn);
        Assert.True(exit == 0, err);
        Assert.Contains("0 ONNX nodes -> ", text, StringComparison.Ordinal);
        Assert.Contains("layout transposes", text, StringComparison.Ordinal);
        Assert.Contains($"{new FileInfo(ecnn).Length:N0} bytes", text, StringComparison.InvariantCulture);
        using InferenceSession s = InferenceSession.Load(ecnn);
        Assert.Equal([1, 3, 4, 4], s.Inputs[0].Shape);
    }

    [Fact]
    public void Input_shapes_fill_symbolic_dims()
    {
        string onnx = Save("sym.onnx", PassThrough([1, 3, -1, -1]));
        string ecnn = Path.Combine(_dir, "sym.ecnn");
        (int exit, _, string err) = CliAppTests.Run("convert", onnx, "-o", ecnn);
        Assert.Equal(3, exit);
        Assert.Contains("--input-shape x=", err, StringComparison.Ordinal);
        (exit, _, err) = CliAppTests.Run("convert", onnx, "-o", ecnn, "--input-shape", "x=1,3,8,6");
        Assert.True(exit == 0, err);
        using InferenceSession s = InferenceSession.Load(ecnn);
        Assert.Equal([1, 3, 8, 6], s.Inputs[0].Shape);
    }

    [Fact]
    public void A_malformed_input_shape_is_bad_usage()
    {
        (int exit, _, string err) = CliAppTests.Run("convert", "m.onnx", "-o", "m.ecnn", "--input-shape", "x=1,three");
        Assert.Equal(2, exit);
        Assert.Contains("dim 'three' is not a positive integer", err, StringComparison.Ordinal);
        (exit, _, err) = CliAppTests.Run("convert", "m.onnx", "-o", "m.ecnn", "--input-shape", "1,3");
        Assert.Equal(2, exit);
        Assert.Contains("expected NAME=D0,D1,...", err, StringComparison.Ordinal);
        (exit, _, err) = CliAppTests.Run("convert", "m.onnx");
        Assert.Equal(2, exit);
        Assert.Contains("--output", err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_op_exits_1_naming_it()
    {
        string onnx = Save("op.onnx", SingleNode("NoSuchOp", 1, [1, 4]));
        (int exit, string text, string err) = CliAppTests.Run("convert", onnx, "-o", Path.Combine(_dir, "op.ecnn"));
        Assert.Equal(1, exit);
        Assert.Contains("NoSuchOp", err, StringComparison.Ordinal);
        Assert.Empty(text);
        Assert.False(File.Exists(Path.Combine(_dir, "op.ecnn")));
    }

    [Fact]
    public void A_corrupt_or_missing_model_exits_3()
    {
        string onnx = Path.Combine(_dir, "bad.onnx");
        File.WriteAllBytes(onnx, [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
        (int exit, _, string err) = CliAppTests.Run("convert", onnx, "-o", Path.Combine(_dir, "bad.ecnn"));
        Assert.Equal(3, exit);
        Assert.Contains("not a valid ONNX protobuf", err, StringComparison.Ordinal);
        (exit, _, err) = CliAppTests.Run("convert", Path.Combine(_dir, "missing.onnx"), "-o", Path.Combine(_dir, "x.ecnn"));
        Assert.Equal(3, exit);
        Assert.Contains("missing.onnx", err, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Save(string name, ModelProto model)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }
}
