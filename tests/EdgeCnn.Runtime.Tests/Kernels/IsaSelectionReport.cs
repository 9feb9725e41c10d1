using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Plans one small model per (op, type) with default options and checks that Plan chose the best kernel-table row this CPU
/// supports. In an ISA child process (<see cref="IsaPathTests"/>) it also writes what it saw to the file named by
/// EDGECNN_ISA_REPORT: the process's ISA flags and each probe's chosen kernel, so the parent can prove which path ran.
/// To cover a new family, add a probe to <see cref="Probes"/>.
/// </summary>
[Trait("Category", "Kernels")]
public class IsaSelectionReport
{
    public const string ReportVariable = "EDGECNN_ISA_REPORT";

    /// <summary>A one-node model per (op, type) whose optimized rows should all accept it.</summary>
    public static IEnumerable<(string Key, OpCode Op, DataType Type, Func<ModelBuilder> Build)> Probes()
    {
        yield return ("f32-conv3x3", OpCode.Conv, DataType.Float32, () => Conv(3, 1));
        yield return ("f32-conv1x1", OpCode.Conv, DataType.Float32, () => Conv(1, 1));
        yield return ("f32-dense", OpCode.Dense, DataType.Float32, Dense);
        yield return ("s8-conv3x3", OpCode.Conv, DataType.Int8, () => ConvS8(3));
        yield return ("s8-conv1x1", OpCode.Conv, DataType.Int8, () => ConvS8(1));
        yield return ("s8-dense", OpCode.Dense, DataType.Int8, DenseS8);
        yield return ("s8-dw3x3", OpCode.Conv, DataType.Int8, () => DepthwiseS8(3));
        yield return ("s8-dw5x5", OpCode.Conv, DataType.Int8, () => DepthwiseS8(5));
    }

    [Fact]
    public void Plan_chooses_the_best_supported_row_and_reports_it()
    {
        var lines = new List<string> { $"available={(int)IsaSupport.Available}" };
        foreach ((string key, OpCode op, DataType type, Func<ModelBuilder> build) in Probes())
        {
            using InferenceSession session = build().BuildSession();
            string chosen = session.Kernels.Single(k => k is not null)!.Name;
            // Direct depthwise rows accept only depthwise nodes, and 3x3 rows only 3x3 windows: they compete only in those probes.
            bool depthwise = key.Contains("-dw", StringComparison.Ordinal), window3x3 = key.Contains("3x3", StringComparison.Ordinal);
            KernelInfo best = KernelTable.For(op, type).First(k => k.IsSupported && (k.IsReference ||
                (depthwise == k.Name.Contains("-dw-", StringComparison.Ordinal) && (window3x3 || !k.Name.Contains("-3x3-", StringComparison.Ordinal)))));
            // The reference row's kernel carries a more specific name (f32-conv2d-ref); optimized kernels carry the row's.
            bool matches = best.IsReference ? chosen.EndsWith("-ref", StringComparison.Ordinal) : string.Equals(chosen, best.Name, StringComparison.Ordinal);
            Assert.True(matches, $"{key}: Plan chose {chosen}; the best supported row with ISA {IsaSupport.Describe(IsaSupport.Available)} is {best.Name}");
            lines.Add($"{key}={chosen}");
        }

        if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } path)
        {
            File.WriteAllLines(path, lines);
        }
    }

    private static ModelBuilder Conv(int k, int stride)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 8, 8, 16]);
        TensorRef w = b.Constant("w", new float[32 * k * k * 16], [32, k, k, 16]);
        b.Output(b.Conv(x, w, null, new ConvOptions { Strides = [stride, stride], Pads = [k / 2, k / 2, k / 2, k / 2] }));
        return b;
    }

    private static readonly QuantizationInfo s_q = QuantizationInfo.PerTensor(0.05f, 3);

    private static ModelBuilder ConvS8(int k)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [1, 8, 8, 16], s_q);
        TensorRef w = b.Constant("w", new sbyte[32 * k * k * 16], [32, k, k, 16], QuantizationInfo.PerTensor(0.01f, 0));
        b.Output(b.Conv(x, w, null, new ConvOptions { Pads = [k / 2, k / 2, k / 2, k / 2] }, s_q));
        return b;
    }

    private static ModelBuilder DepthwiseS8(int k)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [1, 8, 8, 24], s_q);
        TensorRef w = b.Constant("w", new sbyte[24 * k * k], [24, k, k, 1], QuantizationInfo.PerTensor(0.01f, 0));
        b.Output(b.Conv(x, w, null, new ConvOptions { Group = 24, Pads = [k / 2, k / 2, k / 2, k / 2] }, s_q));
        return b;
    }

    private static ModelBuilder DenseS8()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [4, 64], s_q);
        TensorRef w = b.Constant("w", new sbyte[10 * 64], [10, 64], QuantizationInfo.PerTensor(0.01f, 0));
        b.Output(b.Dense(x, w, null, null, s_q));
        return b;
    }

    private static ModelBuilder Dense()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [4, 64]);
        TensorRef w = b.Constant("w", new float[10 * 64], [10, 64]);
        b.Output(b.Dense(x, w));
        return b;
    }
}
