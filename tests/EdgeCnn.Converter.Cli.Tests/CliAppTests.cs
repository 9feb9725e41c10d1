using EdgeCnn.Converter.Cli;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Cli.Tests;

public sealed class CliAppTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-cli").FullName;

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = CliApp.Run(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }

    [Fact]
    public void Ops_lists_every_operator_code()
    {
        (int exit, string text, _) = Run("ops");
        Assert.Equal(0, exit);
        foreach (OpCode op in Enum.GetValues<OpCode>())
        {
            Assert.Contains($" {op} ", text, StringComparison.Ordinal);
        }
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
        Assert.Contains("unknown command 'frobnicate'", err, StringComparison.Ordinal);
        string path = Path.Combine(_dir, "bad.ecnn");
        File.WriteAllBytes(path, new byte[100]);
        (exit, _, err) = Run("inspect", path);
        Assert.Equal(3, exit);
        Assert.Contains("[header.magic]", err, StringComparison.Ordinal);
        (exit, _, err) = Run("inspect", Path.Combine(_dir, "missing.ecnn"));
        Assert.Equal(3, exit);
        Assert.Contains("missing.ecnn", err, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
