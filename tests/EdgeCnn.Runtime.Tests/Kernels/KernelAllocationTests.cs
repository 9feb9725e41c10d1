using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Tests.Ops;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>Every optimized fp32 row of the kernel table, forced on a node it accepts, runs 200 times without allocating.</summary>
[Trait("Category", "Kernels")]
public class KernelAllocationTests
{
    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (KernelInfo k in KernelTable.All.Where(k => k.Type == DataType.Float32 && !k.IsReference && k.CanExecute && Sample(k) is not null))
        {
            data.Add(k.Name);
        }

        return data;
    }

    [Fact]
    public void Every_optimized_fp32_row_has_a_sample()
    {
        var missing = KernelTable.All.Where(k => k.Type == DataType.Float32 && !k.IsReference && k is not { Op: OpCode.Quantize } && Sample(k) is null)
            .Select(k => k.Name).ToList();
        Assert.True(missing.Count == 0, $"fp32 rows without an allocation sample: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forced_row_runs_without_allocating(string kernel)
    {
        KernelInfo row = KernelTable.Find(kernel);
        using InferenceSession s = Sample(row)!().BuildSession(SessionOptions.Only(kernel));
        Assert.Contains(s.Kernels, k => k is not null && string.Equals(k.Name, kernel, StringComparison.Ordinal));
        for (int i = 0; i < s.Inputs.Count; i++)
        {
            s.Input<float>(i).Fill(0.25f);
        }

        PerRunAllocation.AssertNone(s.Run, 200, kernel);
    }

    /// <summary>A small model the row accepts, or null for a row of an op this test does not know yet.</summary>
    private static Func<ModelBuilder>? Sample(KernelInfo row)
    {
        string n = row.Name;
        if (n.Contains("-winograd-", StringComparison.Ordinal))
        {
            return () => Conv([1, 6, 5, 64], [64, 3, 3, 64], 1);
        }

        if (n.Contains("-gemv-", StringComparison.Ordinal))
        {
            return row.Op == OpCode.Conv
                ? () => Conv([1, 1, 1, 40], [37, 3, 3, 40], 1) // padded: one output pixel
                : () => One(b => b.Dense(b.Input("x", DataType.Float32, [1, 40]), b.Constant("w", new float[17 * 40], [17, 40])));
        }

        if (n.Contains("-gemmrows-", StringComparison.Ordinal))
        {
            return () => Conv([1, 9, 8, 2], [20, 5, 5, 2], 1);
        }

        if (n.Contains("-dw-", StringComparison.Ordinal))
        {
            return () => Conv([1, 7, 6, 20], [20, 3, 3, 1], 20);
        }

        return row.Op switch
        {
            OpCode.Conv => () => Conv([1, 7, 6, 8], [20, 3, 3, 8], 1),
            OpCode.Dense => () => One(b => b.Dense(b.Input("x", DataType.Float32, [3, 40]), b.Constant("w", new float[17 * 40], [17, 40]))),
            OpCode.MaxPool => () => One(b => b.MaxPool(b.Input("x", DataType.Float32, [1, 6, 6, 19]), [3, 3], [2, 2], [1, 1, 1, 1])),
            OpCode.AveragePool => () => One(b => b.AveragePool(b.Input("x", DataType.Float32, [1, 6, 6, 19]), [3, 3], [2, 2], [1, 1, 1, 1])),
            OpCode.GlobalMaxPool => () => One(b => b.GlobalMaxPool(b.Input("x", DataType.Float32, [1, 6, 6, 19]))),
            OpCode.GlobalAveragePool => () => One(b => b.GlobalAveragePool(b.Input("x", DataType.Float32, [1, 6, 6, 19]))),
            OpCode.Softmax => () => One(b => b.Softmax(b.Input("x", DataType.Float32, [2, 37]))),
            OpCode.LogSoftmax => () => One(b => b.LogSoftmax(b.Input("x", DataType.Float32, [2, 37]))),
            OpCode.Add or OpCode.Sub or OpCode.Mul or OpCode.Div =>
                () => One(b => b.Node(row.Op, [b.Input("a", DataType.Float32, [1, 4, 4, 19]), b.Input("b", DataType.Float32, [19])])),
            OpCode.Relu or OpCode.Clip or OpCode.LeakyRelu or OpCode.HardSigmoid or OpCode.HardSwish or OpCode.Sigmoid or OpCode.Tanh
                or OpCode.Silu or OpCode.Exp => () => One(b => b.Node(row.Op, b.Input("x", DataType.Float32, [1, 53]))),
            OpCode.BatchNorm => () => One(b => b.BatchNorm(b.Input("x", DataType.Float32, [1, 3, 4, 19]), new float[19], new float[19], new float[19], new float[19])),
            OpCode.Transpose => () => One(b => b.Transpose(b.Input("x", DataType.Float32, [1, 19, 5, 7]), [0, 2, 3, 1])),
            OpCode.ChannelClip => () => One(b => b.Node(OpCode.ChannelClip, [b.Input("x", DataType.Float32, [1, 3, 4, 19]),
                b.Constant("lo", new float[19], [19]), b.Constant("hi", Enumerable.Repeat(1f, 19).ToArray(), [19])])),
            OpCode.Pad => () => One(b => b.Pad(b.Input("x", DataType.Float32, [1, 6, 5, 7]), [0, 1, -1, 0, 0, 2, 1, -3])),
            OpCode.Concat => () => One(b => b.Concat([b.Input("a", DataType.Float32, [1, 5, 5, 2]), b.Input("b", DataType.Float32, [1, 5, 5, 19])], 3)),
            _ => null,
        };
    }

    private static ModelBuilder Conv(int[] x, int[] w, int group) =>
        ConvolutionRun.BuildFloat(OpCode.Conv, x, new float[ConvolutionNaive.Count(w)], w, new float[w[0]],
            new ConvOptions { Pads = [1, 1, 1, 1], Group = group, Activation = FusedActivation.HardSwish });

    private static ModelBuilder One(Func<ModelBuilder, TensorRef> node)
    {
        var b = new ModelBuilder();
        b.Output(node(b));
        return b;
    }
}
