using EdgeCnn.Converter.Testing;
using static EdgeCnn.Converter.Tests.Testing.OnnxCaseWriter;

namespace EdgeCnn.Converter.Tests.Testing;

/// <summary>The backend test runner on cases that need no op converter: unsupported ops, unreadable models and data.</summary>
public sealed class BackendTestRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-backend").FullName;

    private static readonly float[] Values = [-1, 0, 2, 3];

    [Fact]
    public void An_unsupported_op_is_reported_unsupported_with_the_op_named()
    {
        string dir = Write(Path.Combine(_dir, "test_nosuchop"), SingleNode("NoSuchOp", 1, [1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Unsupported, r.Status);
        Assert.Contains("NoSuchOp", r.Reason, StringComparison.Ordinal);
        Assert.Equal(["NoSuchOp"], r.OpTypes);
        Assert.StartsWith("unsupported: ", r.Describe(), StringComparison.Ordinal);
        Assert.Equal("test_nosuchop", r.Name);
    }

    [Fact]
    public void An_op_of_another_domain_is_unsupported_and_counted_under_its_domain()
    {
        string dir = Write(Path.Combine(_dir, "c"), SingleNode("Foo", 1, [1, 4], domain: "com.example"), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Unsupported, r.Status);
        Assert.Contains("com.example", r.Reason, StringComparison.Ordinal);
        Assert.Equal(["com.example:Foo"], r.OpTypes);
    }

    [Fact]
    public void A_corrupt_model_is_an_error_that_says_so()
    {
        string dir = Write(Path.Combine(_dir, "corrupt"), null, [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Error, r.Status);
        Assert.Contains("model.onnx", r.Reason, StringComparison.Ordinal);
        Assert.Contains("not a valid ONNX protobuf", r.Reason, StringComparison.Ordinal);
        Assert.StartsWith("error: ", r.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_expected_output_is_an_error_that_names_the_file()
    {
        string dir = Write(Path.Combine(_dir, "noout"), SingleNode("NoSuchOp", 1, [1, 4]), [Floats(Values, 1, 4)], []);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Error, r.Status);
        Assert.Contains("test_data_set_0 has no output_0.pb", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_in_the_numbering_of_outputs_is_an_error()
    {
        string dir = Write(Path.Combine(_dir, "gap"), SingleNode("NoSuchOp", 1, [1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        File.Move(Path.Combine(dir, "test_data_set_0", "output_0.pb"), Path.Combine(dir, "test_data_set_0", "output_1.pb"));
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Error, r.Status);
        Assert.Contains("output_0.pb", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_without_test_data_is_an_error()
    {
        string dir = Path.Combine(_dir, "nodata");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), Google.Protobuf.MessageExtensions.ToByteArray(SingleNode("NoSuchOp", 1, [1, 4])));
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Error, r.Status);
        Assert.Contains("no test_data_set_N", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_test_data_is_an_error_that_names_the_file()
    {
        string dir = Write(Path.Combine(_dir, "baddata"), SingleNode("NoSuchOp", 1, [1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        File.WriteAllBytes(Path.Combine(dir, "test_data_set_0", "input_0.pb"), [0xff, 0xff, 0xff]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Error, r.Status);
        Assert.Contains("test_data_set_0/input_0.pb", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_integer_model_input_that_stays_an_input_is_unsupported()
    {
        // Int64 data into Relu: the converter can only take an integer input bound as a constant, and a model whose every
        // input is bound has nothing left to run on.
        EdgeCnn.Converter.Onnx.Proto.ModelProto model = SingleNode("Relu", 1, [1, 4]);
        model.Graph.Input[0] = Value("x0", [1, 4], elemType: 7);
        string dir = Write(Path.Combine(_dir, "ints"), model, [Longs([1, 2, 3, 4], 1, 4)], [Floats(Values, 1, 4)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Unsupported, r.Status);
        Assert.Contains("no non-constant input", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Integer_data_for_a_float_input_is_an_error()
    {
        string dir = Write(Path.Combine(_dir, "mismatch"), SingleNode("Relu", 1, [1, 4]), [Longs([1, 2, 3, 4], 1, 4)], [Floats(Values, 1, 4)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Error, r.Status);
        Assert.Contains("input_0.pb is Int64", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_input_is_unsupported_before_its_data_is_read()
    {
        EdgeCnn.Converter.Onnx.Proto.ModelProto model = SingleNode("SequenceAt", 1, [1, 4]);
        model.Graph.Input[0].Type = new EdgeCnn.Converter.Onnx.Proto.TypeProto(); // a sequence type: no tensor_type in the proto subset
        string dir = Write(Path.Combine(_dir, "seq"), model, [], [Floats(Values, 1, 4)]);
        File.WriteAllBytes(Path.Combine(dir, "test_data_set_0", "input_0.pb"), [0x0a, 0x01, 0x78, 0x10, 0x01]); // a SequenceProto
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Unsupported, r.Status);
        Assert.Contains("'x0' is not a tensor", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_too_new_opset_is_unsupported()
    {
        string dir = Write(Path.Combine(_dir, "opset"), SingleNode("NoSuchOp", 1, [1, 4], opset: 99), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Unsupported, r.Status);
        Assert.Contains("opset 99", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_that_passes_its_input_through_is_compared_and_passes()
    {
        string dir = Write(Path.Combine(_dir, "identity"), PassThrough([1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.True(r.Status == BackendTestStatus.Passed, r.Describe());
        Assert.Equal(0, r.MaxAbsError);
    }

    [Fact]
    public void A_wrong_expected_value_fails_with_the_worst_element()
    {
        string dir = Write(Path.Combine(_dir, "wrong"), PassThrough([1, 4]), [Floats(Values, 1, 4)], [Floats([-1, 0, 2.5f, 3], 1, 4)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Failed, r.Status);
        Assert.Equal(0.5, r.MaxAbsError, 6);
        Assert.Equal("failed: max error 0.5 at output x[2] (expected 2.5, got 2)", r.Describe());
        Assert.Equal(BackendTestStatus.Passed, new BackendTestRunner(new BackendTestOptions(Rtol: 0.25)).RunCase(dir).Status);
    }

    [Fact]
    public void An_input_of_the_wrong_shape_is_an_error()
    {
        string dir = Write(Path.Combine(_dir, "shape"), PassThrough([1, 4]), [Floats(Values, 2, 2)], [Floats(Values, 2, 2)]);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Error, r.Status);
        Assert.Contains("input_0.pb has shape [2,2]", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Symbolic_input_dims_take_the_test_data_shape()
    {
        string dir = Write(Path.Combine(_dir, "symbolic"), PassThrough([1, -1]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        Assert.Equal(BackendTestStatus.Passed, new BackendTestRunner().RunCase(dir).Status);
    }

    [Fact]
    public void Every_data_set_is_run()
    {
        string dir = Write(Path.Combine(_dir, "sets"), PassThrough([1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        Write(dir, null, [Floats([5, 6, 7, 8], 1, 4)], [Floats([5, 6, 7, 9], 1, 4)], set: 1);
        BackendCaseResult r = new BackendTestRunner().RunCase(dir);
        Assert.Equal(BackendTestStatus.Failed, r.Status);
        Assert.Equal(2, r.DataSets);
        Assert.EndsWith("in test_data_set_1", r.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_of_cases_is_searched_recursively_and_summarized_per_op()
    {
        Write(Path.Combine(_dir, "node", "test_b"), SingleNode("NoSuchOp", 1, [1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        Write(Path.Combine(_dir, "node", "test_a"), SingleNode("NoSuchOp", 2, [1, 4]), [Floats(Values, 1, 4), Floats(Values, 1, 4)], []);
        Write(Path.Combine(_dir, "simple", "test_c"), PassThrough([1, 4]), [Floats(Values, 1, 4)], [Floats(Values, 1, 4)]);
        var seen = new List<string>();
        BackendTestReport report = new BackendTestRunner().Run([_dir], r => seen.Add(r.Name));
        Assert.Equal(["node/test_a", "node/test_b", "simple/test_c"], seen);
        Assert.Equal(1, report.Passed);
        Assert.Equal(1, report.Unsupported);
        Assert.Equal(1, report.Errors);
        Assert.False(report.Succeeded);
        Assert.Equal("1 passed, 1 failed, 1 unsupported (1 errors)", report.Summary);
        BackendOpStats op = Assert.Single(report.PerOp);
        Assert.Equal(new BackendOpStats("NoSuchOp", 0, 0, 1, 1), op);
    }

    [Fact]
    public void A_missing_path_is_a_clear_exception()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => BackendTestRunner.FindCases(Path.Combine(_dir, "nope")));
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
