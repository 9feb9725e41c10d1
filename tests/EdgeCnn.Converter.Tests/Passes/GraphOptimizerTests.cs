using EdgeCnn.Converter.Passes;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Tests.Passes;

/// <summary>Each pass must leave outputs unchanged (within fp32 rounding of the folded weights) while removing nodes.</summary>
public class GraphOptimizerTests
{
    private static float[] Values(int n, int seed) => Enumerable.Range(0, n).Select(i => ((((i * 31) + seed) % 17) - 8) / 5f).ToArray();

    private static float[] Run(ModelDefinition m, float[] x)
    {
        using InferenceSession s = InferenceSession.Load(ModelWriter.Write(m));
        x.CopyTo(s.Input<float>(0));
        s.Run();
        return s.Output<float>(0).ToArray();
    }

    private static void SameOutputs(Func<ModelBuilder> build, int inputSize, int expectedNodesAfter, OptimizationReport expected)
    {
        float[] x = Values(inputSize, 3);
        float[] before = Run(build().Definition, x);
        (ModelDefinition optimized, OptimizationReport report) = GraphOptimizer.Optimize(build().Definition);
        float[] after = Run(optimized, x);
        Assert.Equal(expected, report);
        Assert.Equal(expectedNodesAfter, optimized.Nodes.Count);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(Math.Abs(before[i] - after[i]) <= 1e-5f + (1e-5f * Math.Abs(before[i])), $"element {i}: {after[i]} vs {before[i]}");
        }
    }

    private static TensorRef BatchNorm(ModelBuilder b, TensorRef x, int c, int seed) => b.Node(OpCode.BatchNorm,
        [x, b.Constant($"s{seed}", Values(c, seed).Select(v => v + 2f).ToArray(), [c]), b.Constant($"b{seed}", Values(c, seed + 1), [c]),
         b.Constant($"m{seed}", Values(c, seed + 2), [c]), b.Constant($"v{seed}", Values(c, seed + 3).Select(v => Math.Abs(v) + 0.5f).ToArray(), [c])],
        [NodeAttribute.Float(AttributeKey.Epsilon, 1e-3f)]);

    [Fact]
    public void Conv_batchnorm_relu_becomes_one_conv()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 5, 5, 3]);
            TensorRef c = b.Node(OpCode.Conv, [x, b.Constant("w", Values(4 * 3 * 3 * 3, 1), [4, 3, 3, 3]), b.Constant("cb", Values(4, 9), [4])],
                [NodeAttribute.IntList(AttributeKey.Pads, [1, 1, 1, 1])]);
            b.Output(b.Node(OpCode.Relu, BatchNorm(b, c, 4, 20)));
            return b;
        }, 75, 1, new OptimizationReport(1, 1, 0));
    }

    [Fact]
    public void Dense_without_bias_gets_the_folded_bias_and_clip_0_6_fuses_as_relu6()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [2, 6]);
            TensorRef d = b.Node(OpCode.Dense, [x, b.Constant("w", Values(5 * 6, 2), [5, 6])]);
            b.Output(b.Node(OpCode.Clip, BatchNorm(b, d, 5, 30), NodeAttribute.Float(AttributeKey.Min, 0f), NodeAttribute.Float(AttributeKey.Max, 6f)));
            return b;
        }, 12, 1, new OptimizationReport(1, 1, 0));
    }

    [Fact]
    public void A_layer_whose_output_is_read_twice_is_left_alone()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 4, 4, 2]);
            TensorRef c = b.Node(OpCode.Conv, [x, b.Constant("w", Values(2 * 2, 1), [2, 1, 1, 2])]);
            TensorRef r = b.Node(OpCode.Relu, c);
            b.Output(b.Node(OpCode.Add, [r, c])); // c is also read by Add: fusing Relu would change Add's input
            return b;
        }, 32, 3, new OptimizationReport(0, 0, 0));
    }

    [Fact]
    public void Clip_with_min_above_max_is_not_fused()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [2, 3]);
            TensorRef d = b.Node(OpCode.Dense, [x, b.Constant("w", Values(9, 4), [3, 3])]);
            b.Output(b.Node(OpCode.Clip, d, NodeAttribute.Float(AttributeKey.Min, 2f), NodeAttribute.Float(AttributeKey.Max, 1f)));
            return b;
        }, 6, 2, new OptimizationReport(0, 0, 0));
    }

    [Fact]
    public void Zero_padding_on_spatial_axes_fuses_into_the_conv_after_it()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 4, 5, 2]);
            TensorRef p = b.Node(OpCode.Pad, x, NodeAttribute.IntList(AttributeKey.Pads, [0, 2, 1, 0, 0, 0, 3, 0]));
            b.Output(b.Node(OpCode.Conv, [p, b.Constant("w", Values(3 * 3 * 3 * 2, 5), [3, 3, 3, 2])],
                [NodeAttribute.IntList(AttributeKey.Pads, [1, 0, 0, 1])]));
            return b;
        }, 40, 1, new OptimizationReport(0, 0, 1));
    }

    [Fact]
    public void Padding_with_a_value_or_on_channels_is_left_alone()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 3, 3, 2]);
            TensorRef p = b.Node(OpCode.Pad, x, NodeAttribute.IntList(AttributeKey.Pads, [0, 1, 1, 0, 0, 1, 1, 0]), NodeAttribute.Float(AttributeKey.Value, 1f));
            TensorRef c = b.Node(OpCode.Conv, [p, b.Constant("w", Values(2 * 2, 5), [2, 1, 1, 2])]);
            TensorRef q = b.Node(OpCode.Pad, c, NodeAttribute.IntList(AttributeKey.Pads, [0, 0, 0, 1, 0, 0, 0, 1]));
            b.Output(b.Node(OpCode.Conv, [q, b.Constant("w2", Values(2 * 4, 6), [2, 1, 1, 4])]));
            return b;
        }, 18, 4, new OptimizationReport(0, 0, 0));
    }

    [Fact]
    public void A_per_channel_add_after_a_conv_becomes_its_bias_and_the_relu_then_fuses()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 3, 3, 2]);
            TensorRef c = b.Node(OpCode.Conv, [x, b.Constant("w", Values(4 * 2, 5), [4, 1, 1, 2]), b.Constant("b0", Values(4, 2), [4])]);
            TensorRef a = b.Node(OpCode.Add, [b.Constant("bias", Values(4, 9), [1, 1, 1, 4]), c]);
            b.Output(b.Node(OpCode.Relu, a));
            return b;
        }, 18, 1, new OptimizationReport(0, 1, 0, 1));
    }

    [Fact]
    public void An_add_that_varies_over_space_is_not_a_bias()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 3, 3, 2]);
            TensorRef c = b.Node(OpCode.Conv, [x, b.Constant("w", Values(4 * 2, 5), [4, 1, 1, 2])]);
            b.Output(b.Node(OpCode.Add, [c, b.Constant("map", Values(3 * 4, 9), [1, 1, 3, 4])]));
            return b;
        }, 18, 2, new OptimizationReport(0, 0, 0, 0));
    }

    [Fact]
    public void Compaction_drops_the_replaced_weights()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 2, 2, 3]);
        TensorRef c = b.Node(OpCode.Conv, [x, b.Constant("w", Values(3 * 3, 1), [3, 1, 1, 3])]);
        b.Output(BatchNorm(b, c, 3, 7));
        int before = b.Definition.Tensors.Count;
        (ModelDefinition optimized, _) = GraphOptimizer.Optimize(b.Definition);
        // gone: w, the four batch-norm constants and the conv's old output; added: folded w and bias
        Assert.Equal(before - 6 + 2, optimized.Tensors.Count);
        Assert.DoesNotContain(optimized.Tensors, t => string.Equals(t.Name, "w", StringComparison.Ordinal));
    }
}
