using static EdgeCnn.Converter.Tests.Testing.OnnxCaseWriter;

namespace EdgeCnn.Converter.Cli.Tests;

public sealed class TestCommandTests : IDisposable
{
    private static readonly float[] Values = [-1, 0, 2, 3];

    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-cli-test").FullName;

    [Fact]
    public void Prints_a_line_per_case_a_per_op_table_and_the_summary()
    {
        Write(Path.Combine(_dir, "node", "test_pass"), PassThrough([1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        Write(Path.Combine(_dir, "node", "test_nosuchop"), SingleNode("NoSuchOp", 1, [1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        (int exit, string text, string err) = CliAppTests.Run("test", _dir);
        Assert.True(exit == 0, text + err);
        string[] lines = text.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => string.Equals(l, "node/test_pass: passed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("node/test_nosuchop: unsupported: ", StringComparison.Ordinal) && l.Contains("NoSuchOp", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| NoSuchOp ", StringComparison.Ordinal) && string.Equals(l.Replace(" ", "", StringComparison.Ordinal), "|NoSuchOp|1|0|0|1|0|", StringComparison.Ordinal));
        Assert.Equal("1 passed, 0 failed, 1 unsupported", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void A_failed_case_prints_the_worst_element_and_exits_1()
    {
        string dir = Write(Path.Combine(_dir, "test_wrong"), PassThrough([1, 4]), [Floats(Values, 1, 4)], [Floats([-1, 0, 2, 3.5f], 1, 4)]);
        (int exit, string text, _) = CliAppTests.Run("test", dir);
        Assert.Equal(1, exit);
        Assert.Contains("test_wrong: failed: max error 0.5 at output x[3] (expected 3.5, got 3)", text, StringComparison.Ordinal);
        Assert.EndsWith("0 passed, 1 failed, 0 unsupported" + Environment.NewLine, text, StringComparison.Ordinal);
        (exit, text, _) = CliAppTests.Run("test", dir, "--rtol", "0.2", "--verbose");
        Assert.Equal(0, exit);
        Assert.Contains("test_wrong: passed", text, StringComparison.Ordinal);
        Assert.Contains("1 data set(s); max abs error 0.5", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_that_cannot_be_run_exits_1()
    {
        Write(Path.Combine(_dir, "test_noout"), SingleNode("NoSuchOp", 1, [1, 4]), [Floats(Values, 1, 4)], []);
        (int exit, string text, _) = CliAppTests.Run("test", _dir);
        Assert.Equal(1, exit);
        Assert.Contains("test_noout: error: test_data_set_0 has no output_0.pb", text, StringComparison.Ordinal);
        Assert.Contains("0 passed, 1 failed, 0 unsupported (1 errors)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_exits_3_and_an_empty_one_says_so()
    {
        (int exit, _, string err) = CliAppTests.Run("test", Path.Combine(_dir, "nope"));
        Assert.Equal(3, exit);
        Assert.Contains("nope: no such folder", err, StringComparison.Ordinal);
        (exit, string text, _) = CliAppTests.Run("test", _dir);
        Assert.Equal(0, exit);
        Assert.Contains("no test case", text, StringComparison.Ordinal);
        Assert.Contains("0 passed, 0 failed, 0 unsupported", text, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
