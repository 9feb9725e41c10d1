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

    /// <summary>
    /// A one-node model per kernel family: Family is the part of the row names (e.g. "-conv-gemm-") whose rows all accept
    /// the probe, so the best of them that this CPU supports is what Plan must choose (the reference when none is).
    /// </summary>
    public static IEnumerable<(string Key, OpCode Op, DataType Type, string Family, Func<ModelBuilder> Build)> Probes()
    {
        yield return ("f32-conv3x3", OpCode.Conv, DataType.Float32, "-conv-gemm-", () => Conv(3, 1, group: 1));
        yield return ("f32-conv1x1", OpCode.Conv, DataType.Float32, "-conv-gemm-", () => Conv(1, 1, group: 1));
        yield return ("f32-conv5x5-c1", OpCode.Conv, DataType.Float32, "-conv-gemmrows-", () => Conv(5, 1, group: 1, channels: 1));
        yield return ("f32-concat", OpCode.Concat, DataType.Float32, "f32-concat-",
            () => Unary(b => b.Concat([b.Input("a", DataType.Float32, [1, 3, 3, 2]), b.Input("b", DataType.Float32, [1, 3, 3, 2])], 3)));
        yield return ("f32-pad", OpCode.Pad, DataType.Float32, "f32-pad-",
            () => Unary(b => b.Pad(b.Input("x", DataType.Float32, [1, 5, 5, 3]), [0, 1, 1, 0, 0, 1, 1, 0])));
        yield return ("f32-conv3x3-64", OpCode.Conv, DataType.Float32, "-conv-winograd-", () => Conv(3, 1, group: 1, channels: 64));
        yield return ("f32-dwconv3x3", OpCode.Conv, DataType.Float32, "-conv-dw-3x3-", () => Conv(3, 1, group: 16));
        yield return ("f32-dwconv5x5", OpCode.Conv, DataType.Float32, "-conv-dw-minmax-", () => Conv(5, 2, group: 16));
        yield return ("f32-dense", OpCode.Dense, DataType.Float32, "-dense-gemm-", Dense);
        yield return ("f32-dense-m1", OpCode.Dense, DataType.Float32, "-dense-gemv-", () => Unary(b =>
            b.Dense(b.Input("x", DataType.Float32, [1, 64]), b.Constant("w", new float[10 * 64], [10, 64]))));
        yield return ("f32-sigmoid", OpCode.Sigmoid, DataType.Float32, "f32-sigmoid-", () => Unary(b => b.Node(OpCode.Sigmoid, b.Input("x", DataType.Float32, [1, 40]))));
        yield return ("f32-maxpool", OpCode.MaxPool, DataType.Float32, "f32-maxpool-",
            () => Unary(b => b.MaxPool(b.Input("x", DataType.Float32, [1, 6, 6, 16]), [2, 2], [2, 2])));
        yield return ("f32-softmax", OpCode.Softmax, DataType.Float32, "f32-softmax-", () => Unary(b => b.Softmax(b.Input("x", DataType.Float32, [2, 40]))));
        yield return ("f32-vadd", OpCode.Add, DataType.Float32, "f32-vadd-",
            () => Unary(b => b.Add(b.Input("a", DataType.Float32, [1, 4, 4, 16]), b.Input("b", DataType.Float32, [16]))));
        yield return ("f32-batchnorm", OpCode.BatchNorm, DataType.Float32, "f32-batchnorm-",
            () => Unary(b => b.BatchNorm(b.Input("x", DataType.Float32, [1, 4, 4, 20]), new float[20], new float[20], new float[20], new float[20])));
        yield return ("f32-transpose", OpCode.Transpose, DataType.Float32, "f32-transpose-",
            () => Unary(b => b.Transpose(b.Input("x", DataType.Float32, [1, 3, 9, 9]), [0, 2, 3, 1])));
        yield return ("s8-transpose", OpCode.Transpose, DataType.Int8, "s8-transpose-",
            () => Unary(b => b.Transpose(b.Input("x", DataType.Int8, [1, 3, 9, 9], s_q), [0, 2, 3, 1])));
        yield return ("s8-conv3x3", OpCode.Conv, DataType.Int8, "s8-conv-gemm-", () => ConvS8(3));
        yield return ("s8-conv3x3-c3", OpCode.Conv, DataType.Int8, "s8-conv-gemm", () => ConvS8(3, channels: 3)); // -gemmrows- or -gemm-
        yield return ("s8-conv1x1", OpCode.Conv, DataType.Int8, "s8-conv-gemm-", () => ConvS8(1));
        yield return ("s8-dense", OpCode.Dense, DataType.Int8, "s8-dense-gemm-", () => DenseS8(4));
        yield return ("s8-dense-m1", OpCode.Dense, DataType.Int8, "s8-dense-ge", () => DenseS8(1)); // GEMV, else a GEMM
        yield return ("s8-dw3x3", OpCode.Conv, DataType.Int8, "s8-conv-dw-3x3-", () => DepthwiseS8(3));
        yield return ("s8-dw5x5", OpCode.Conv, DataType.Int8, "s8-conv-dw-minmax-", () => DepthwiseS8(5));
        yield return ("s8-quantize", OpCode.Quantize, DataType.Float32, "f32-s8-quantize-",
            () => Unary(b => b.Quantize(b.Input("x", DataType.Float32, [1, 40]), s_q)));
        yield return ("s8-dequantize", OpCode.Dequantize, DataType.Int8, "s8-f32-dequantize-",
            () => Unary(b => b.Dequantize(b.Input("q", DataType.Int8, [1, 40], s_q))));
        yield return ("s8-vadd", OpCode.Add, DataType.Int8, "s8-vadd-",
            () => Unary(b => b.Add(b.Input("a", DataType.Int8, [1, 40], s_q), b.Input("b", DataType.Int8, [1, 40], s_q), s_q)));
        yield return ("s8-maxpool", OpCode.MaxPool, DataType.Int8, "s8-maxpool-",
            () => Unary(b => b.MaxPool(b.Input("x", DataType.Int8, [1, 6, 6, 16], s_q), [2, 2], [2, 2], outputQuantization: s_q)));
        yield return ("s8-globalaveragepool", OpCode.GlobalAveragePool, DataType.Int8, "s8-globalaveragepool-",
            () => Unary(b => b.GlobalAveragePool(b.Input("x", DataType.Int8, [1, 6, 6, 16], s_q), s_q)));
        yield return ("s8-concat", OpCode.Concat, DataType.Int8, "s8-concat-requant-", () => Unary(b => b.Concat(
            [b.Input("a", DataType.Int8, [1, 40], s_q), b.Input("b", DataType.Int8, [1, 8], QuantizationInfo.PerTensor(0.1f, 0))], 1, s_q)));
    }

    [Fact]
    public void Plan_chooses_the_best_supported_row_and_reports_it()
    {
        var lines = new List<string> { $"available={(int)IsaSupport.Available}" };
        foreach ((string key, OpCode op, DataType type, string family, Func<ModelBuilder> build) in Probes())
        {
            using InferenceSession session = build().BuildSession();
            string chosen = session.Kernels.Single(k => k is not null)!.Name;
            KernelInfo best = KernelTable.For(op, type).First(k => k.IsSupported && (k.IsReference || k.Name.Contains(family, StringComparison.Ordinal)));
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

    private static ModelBuilder Conv(int k, int stride, int group, int channels = 16)
    {
        var b = new ModelBuilder();
        int outC = group == 1 ? 2 * channels : group;
        TensorRef x = b.Input("x", DataType.Float32, [1, 8, 8, channels]);
        TensorRef w = b.Constant("w", new float[outC * k * k * channels / group], [outC, k, k, channels / group]);
        b.Output(b.Conv(x, w, null, new ConvOptions { Strides = [stride, stride], Pads = [k / 2, k / 2, k / 2, k / 2], Group = group }));
        return b;
    }

    private static ModelBuilder Unary(Func<ModelBuilder, TensorRef> node)
    {
        var b = new ModelBuilder();
        b.Output(node(b));
        return b;
    }

    private static readonly QuantizationInfo s_q = QuantizationInfo.PerTensor(0.05f, 3);

    private static ModelBuilder ConvS8(int k, int channels = 16)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [1, 8, 8, channels], s_q);
        TensorRef w = b.Constant("w", new sbyte[32 * k * k * channels], [32, k, k, channels], QuantizationInfo.PerTensor(0.01f, 0));
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

    private static ModelBuilder DenseS8(int rows)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [rows, 64], s_q);
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
