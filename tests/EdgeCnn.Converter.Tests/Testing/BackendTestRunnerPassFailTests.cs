using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Testing;
using static EdgeCnn.Converter.Tests.Testing.OnnxCaseWriter;

namespace EdgeCnn.Converter.Tests.Testing;

/// <summary>
/// The runner end to end on a real op (Relu). Each test also asserts first that Relu is in the op table.
/// </summary>
public sealed class BackendTestRunnerPassFailTests : IDisposable
{
    private static readonly float[] Input = [-2, -0.5f, 0, 1.5f, 3, -7];
    private static readonly float[] Relu = [0, 0, 0, 1.5f, 3, 0];

    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-relu").FullName;

    [Fact]
    public void A_correct_relu_case_passes()
    {
        RequireRelu();
        string dir = Write(Path.Combine(_dir, "test_relu"), SingleNode("Relu", 1, [1, 2, 3]), [Floats(Input, 1, 2, 3)], [Floats(Relu, 1, 2, 3)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.True(r.Status == BackendTestStatus.Passed, r.Describe());
        Assert.Equal("passed", r.Describe());
        Assert.Equal(["Relu"], r.OpTypes);
    }

    [Fact]
    public void A_wrong_expected_output_fails_naming_the_element()
    {
        RequireRelu();
        float[] wrong = [.. Relu];
        wrong[4] = 3.5f;
        string dir = Write(Path.Combine(_dir, "test_relu_wrong"), SingleNode("Relu", 1, [1, 2, 3]), [Floats(Input, 1, 2, 3)], [Floats(wrong, 1, 2, 3)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Failed, r.Status);
        Assert.Equal("failed: max error 0.5 at output y[4] (expected 3.5, got 3)", r.Describe());
        Assert.Equal(BackendTestStatus.Passed, new BackendTestRunner(new BackendTestOptions(Rtol: 0.2)).RunCase(dir).Status);
    }

    [Fact]
    public void Relu_cases_are_counted_per_op()
    {
        RequireRelu();
        Write(Path.Combine(_dir, "a"), SingleNode("Relu", 1, [1, 6]), [Floats(Input, 1, 6)], [Floats(Relu, 1, 6)]);
        Write(Path.Combine(_dir, "b"), SingleNode("Relu", 1, [-1, 6]), [Floats(Input, 1, 6)], [Floats(Input, 1, 6)]);
        BackendTestReport report = new BackendTestRunner().Run([_dir]);
        Assert.Equal("1 passed, 1 failed, 0 unsupported", report.Summary);
        Assert.Equal(new BackendOpStats("Relu", 1, 1, 0, 0), Assert.Single(report.PerOp));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void RequireRelu() =>
        Assert.True(OnnxOpTable.TryGet("Relu", out _), "Relu is not in the ONNX op table yet (OnnxOpTable.Activations)");
}
