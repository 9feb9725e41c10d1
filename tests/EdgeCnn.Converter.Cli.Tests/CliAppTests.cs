using EdgeCnn.Converter.Cli;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Cli.Tests;

public sealed class CliAppTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-cli").FullName;

    internal static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = CliApp.Run(args, o, e);
        Assert.DoesNotContain("\u001b[", o.ToString(), StringComparison.Ordinal); // redirected output is plain text
        return (exit, o.ToString(), e.ToString());
    }

    [Fact]
    public void Ops_lists_every_runtime_operator_and_the_onnx_table()
    {
        (int exit, string text, _) = Run("ops");
        Assert.Equal(0, exit);
        foreach (OpCode op in Enum.GetValues<OpCode>())
        {
            Assert.Contains($" {op} ", text, StringComparison.Ordinal);
        }

        Assert.Contains("Runtime operators", text, StringComparison.Ordinal);
        Assert.Contains("ONNX ops (", text, StringComparison.Ordinal);
        Assert.Contains("models of opset 7 to 22", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2502", text, StringComparison.Ordinal); // redirected tables have ASCII borders, not box drawing
    }

    [Fact]
    public void Inspect_prints_layers_and_totals()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [2, 4]);
        b.Output(b.Node(OpCode.Dense, [x, b.Constant("w", new float[12], [3, 4])], name: "fc"));
        string path = Path.Combine(_dir, "m.ecnn");
        File.WriteAllBytes(path, b.Build());
        (int exit, string text, _) = Run("inspect", path);
        Assert.Equal(0, exit);
        Assert.Contains("[0] fc  Dense", text, StringComparison.Ordinal);
        Assert.Contains("total: 1 layers, 12 params, 24 MACs", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_usage_and_bad_files_are_clear_errors()
    {
        (int exit, _, string err) = Run("frobnicate");
        Assert.Equal(2, exit);
        Assert.Contains("'frobnicate'", err, StringComparison.Ordinal);
        Assert.Contains("--help", err, StringComparison.Ordinal);
        string path = Path.Combine(_dir, "bad.ecnn");
        File.WriteAllBytes(path, new byte[100]);
        (exit, _, err) = Run("inspect", path);
        Assert.Equal(3, exit);
        Assert.Contains("[header.magic]", err, StringComparison.Ordinal);
        (exit, _, err) = Run("inspect", Path.Combine(_dir, "missing.ecnn"));
        Assert.Equal(3, exit);
        Assert.Contains("missing.ecnn", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_describes_every_command_with_examples()
    {
        (int exit, string text, _) = Run("--help");
        Assert.Equal(0, exit);
        foreach (string command in new[] { "convert", "inspect", "ops", "test" })
        {
            Assert.Contains($"  {command} ", text, StringComparison.Ordinal);
            (int e, string sub, _) = Run(command, "--help");
            Assert.Equal(0, e);
            Assert.Contains("Description:", sub, StringComparison.Ordinal);
            Assert.Contains("Examples:", sub, StringComparison.Ordinal);
            Assert.Contains($"edgecnn-convert {command}", sub, StringComparison.Ordinal);
        }

        Assert.Equal(text, Run().Out); // no arguments: the same help
        Assert.Contains("--input-shape <NAME=D0,D1,...>", Run("convert", "--help").Out, StringComparison.Ordinal);
        Assert.Contains("--rtol", Run("test", "--help").Out, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
