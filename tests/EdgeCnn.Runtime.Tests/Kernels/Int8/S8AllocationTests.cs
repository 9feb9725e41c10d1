using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// Every optimized int8 row that can execute here, forced into a planned session of a model it accepts, allocates nothing
/// per Run on the caller's thread. (The worker pool's own allocation behaviour with threads is ThreadingTests' subject; the
/// int8 kernels' work items are checked for results with threads in S8GemmTests.)
/// </summary>
[Trait("Category", "Kernels")]
public class S8AllocationTests
{
    private static readonly QuantizationInfo s_q = QuantizationInfo.PerTensor(0.05f, 3);

    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (KernelInfo k in KernelTable.All.Where(k => k.Type is DataType.Int8 or DataType.Float32 && !k.IsReference && k.CanExecute && IsInt8Row(k)))
        {
            data.Add(k.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Run_allocates_nothing(string kernel)
    {
        KernelInfo row = KernelTable.Find(kernel);
        using InferenceSession session = Model(row).BuildSession(SessionOptions.Only(kernel));
        Assert.Contains(session.Kernels, k => k is not null && string.Equals(k.Name, kernel, StringComparison.Ordinal));
        PerRunAllocation.AssertNone(session.Run, 200, kernel);
    }

    private static bool IsInt8Row(KernelInfo k) => k.Name.StartsWith("s8-", StringComparison.Ordinal) || k.Name.StartsWith("f32-s8-", StringComparison.Ordinal);

    /// <summary>A one-node model the row accepts: a strided padded conv (indirect GEMM; 3 channels for the row taps), depthwise, one row (GEMV), or the element-wise op.</summary>
    private static ModelBuilder Model(KernelInfo row)
    {
        var b = new ModelBuilder();
        QuantizationInfo qw = QuantizationInfo.PerTensor(0.01f, 0);
        switch (row.Op)
        {
            case OpCode.Conv when row.Name.Contains("-dw-", StringComparison.Ordinal):
                b.Output(b.Conv(b.Input("x", DataType.Int8, [1, 9, 9, 20], s_q), b.Constant("w", new sbyte[20 * 9], [20, 3, 3, 1], qw), null,
                    new ConvOptions { Group = 20, Strides = [2, 2], Pads = [1, 1, 1, 1] }, s_q));
                break;
            case OpCode.Conv when row.Name.Contains("-gemmrows-", StringComparison.Ordinal):
                b.Output(b.Conv(b.Input("x", DataType.Int8, [1, 9, 9, 3], s_q), b.Constant("w", new sbyte[24 * 9 * 3], [24, 3, 3, 3], qw),
                    b.Constant("b", new int[24], [24]), new ConvOptions { Strides = [2, 2], Pads = [1, 1, 1, 1] }, s_q));
                break;
            case OpCode.Conv when row.Name.Contains("-gemv-", StringComparison.Ordinal):
                b.Output(b.Conv(b.Input("x", DataType.Int8, [1, 1, 1, 40], s_q), b.Constant("w", new sbyte[150 * 40], [150, 1, 1, 40], qw),
                    b.Constant("b", new int[150], [150]), new ConvOptions(), s_q));
                break;
            case OpCode.Dense when row.Name.Contains("-gemv-", StringComparison.Ordinal):
                b.Output(b.Dense(b.Input("x", DataType.Int8, [1, 37], s_q), b.Constant("w", new sbyte[150 * 37], [150, 37], qw), null, null, s_q));
                break;
            case OpCode.Conv:
                b.Output(b.Conv(b.Input("x", DataType.Int8, [1, 9, 9, 20], s_q), b.Constant("w", new sbyte[24 * 9 * 20], [24, 3, 3, 20], qw),
                    b.Constant("b", new int[24], [24]), new ConvOptions { Strides = [2, 2], Pads = [1, 1, 1, 1] }, s_q));
                break;
            case OpCode.Dense:
                b.Output(b.Dense(b.Input("x", DataType.Int8, [5, 37], s_q), b.Constant("w", new sbyte[19 * 37], [19, 37], qw), null, null, s_q));
                break;
            case OpCode.Quantize:
                b.Output(b.Quantize(b.Input("x", DataType.Float32, [3, 45]), s_q));
                break;
            case OpCode.Dequantize:
                b.Output(b.Dequantize(b.Input("q", DataType.Int8, [3, 45], s_q)));
                break;
            case OpCode.Add:
                b.Output(b.Add(b.Input("a", DataType.Int8, [3, 45], s_q), b.Input("b", DataType.Int8, [3, 45], QuantizationInfo.PerTensor(0.1f, 0)), s_q));
                break;
            case OpCode.Sub:
                b.Output(b.Sub(b.Input("a", DataType.Int8, [3, 45], s_q), b.Input("b", DataType.Int8, [3, 45], QuantizationInfo.PerTensor(0.1f, 0)), s_q));
                break;
            case OpCode.Mul:
                b.Output(b.Mul(b.Input("a", DataType.Int8, [3, 45, 2], s_q), b.Input("b", DataType.Int8, [1, 1, 2], QuantizationInfo.PerTensor(0.1f, 0)), s_q));
                break;
            case OpCode.Div:
                b.Output(b.Div(b.Input("a", DataType.Int8, [3, 45, 2], s_q), b.Input("b", DataType.Int8, [3, 45, 2], QuantizationInfo.PerTensor(0.1f, 0)), s_q));
                break;
            case OpCode.Relu or OpCode.Clip or OpCode.LeakyRelu or OpCode.Elu or OpCode.Selu or OpCode.Sigmoid or OpCode.Tanh or OpCode.Softplus
                or OpCode.HardSigmoid or OpCode.HardSwish or OpCode.Silu or OpCode.Exp:
                b.Output(b.Node(row.Op, [b.Input("x", DataType.Int8, [3, 45], s_q)], null, QuantizationInfo.PerTensor(0.02f, -5)));
                break;
            case OpCode.Softmax:
                b.Output(b.Node(OpCode.Softmax, [b.Input("x", DataType.Int8, [40, 2], s_q)], [NodeAttribute.Int(AttributeKey.Axis, -1)], QuantizationInfo.PerTensor(1f / 256, -128)));
                break;
            case OpCode.Pad:
                b.Output(b.Pad(b.Input("x", DataType.Int8, [1, 7, 7, 5], s_q), [0, 1, 2, 0, 0, 2, 1, 0]));
                break;
            case OpCode.Concat:
                b.Output(b.Concat([b.Input("a", DataType.Int8, [3, 45], s_q), b.Input("b", DataType.Int8, [3, 7], QuantizationInfo.PerTensor(0.1f, 0))], 1, s_q));
                break;
            case OpCode.MaxPool:
                b.Output(b.MaxPool(b.Input("x", DataType.Int8, [1, 7, 7, 40], s_q), [3, 3], [2, 2], [1, 1, 1, 1], outputQuantization: QuantizationInfo.PerTensor(0.1f, 0)));
                break;
            case OpCode.AveragePool:
                b.Output(b.AveragePool(b.Input("x", DataType.Int8, [1, 7, 7, 40], s_q), [3, 3], [2, 2], [1, 1, 1, 1], outputQuantization: s_q));
                break;
            case OpCode.GlobalMaxPool:
                b.Output(b.GlobalMaxPool(b.Input("x", DataType.Int8, [1, 7, 7, 40], s_q), QuantizationInfo.PerTensor(0.1f, 0)));
                break;
            case OpCode.GlobalAveragePool:
                b.Output(b.GlobalAveragePool(b.Input("x", DataType.Int8, [1, 7, 7, 40], s_q), s_q));
                break;
            case OpCode.Transpose:
                b.Output(b.Transpose(b.Input("x", DataType.Int8, [1, 19, 5, 7], s_q), [0, 2, 3, 1]));
                break;
            case OpCode.ChannelClip:
                b.Output(b.Node(OpCode.ChannelClip, [b.Input("x", DataType.Int8, [1, 3, 4, 19], s_q), b.Constant("lo", new float[19], [19]),
                    b.Constant("hi", Enumerable.Repeat(1f, 19).ToArray(), [19])], null, s_q));
                break;
            default:
                throw new InvalidOperationException($"no allocation model for {row.Name} ({row.Op})");
        }

        return b;
    }
}
