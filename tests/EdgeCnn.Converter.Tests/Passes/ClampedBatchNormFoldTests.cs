using EdgeCnn.Converter.Passes;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Tests.Passes;

/// <summary>
/// Conv / Dense -> ReLU / ReLU6 / Clip -> BatchNorm folds into the layer plus a ChannelClip: outputs unchanged (within fp32
/// rounding of the fold) for channels with a &gt; 0, a &lt; 0 and a == 0, whether the activation was a node or already fused.
/// </summary>
public class ClampedBatchNormFoldTests
{
    private static float[] Values(int n, int seed) => Enumerable.Range(0, n).Select(i => ((((i * 31) + seed) % 17) - 8) / 5f).ToArray();

    /// <summary>BatchNorm scales cycling through positive, negative and zero (a = scale / sqrt(var + eps)).</summary>
    private static TensorRef BatchNorm(ModelBuilder b, TensorRef x, int c)
    {
        float[] scale = Enumerable.Range(0, c).Select(i => (i % 3) switch { 0 => 1.5f + (i * 0.1f), 1 => -0.75f - (i * 0.05f), _ => 0f }).ToArray();
        return b.Node(OpCode.BatchNorm,
            [x, b.Constant("scale", scale, [c]), b.Constant("beta", Values(c, 11), [c]), b.Constant("mean", Values(c, 12), [c]),
             b.Constant("var", Values(c, 13).Select(v => Math.Abs(v) + 0.5f).ToArray(), [c])],
            [NodeAttribute.Float(AttributeKey.Epsilon, 1e-3f)]);
    }

    private static float[] Run(ModelDefinition m, float[] x)
    {
        using InferenceSession s = InferenceSession.Load(ModelWriter.Write(m));
        x.CopyTo(s.Input<float>(0));
        s.Run();
        return s.Output<float>(0).ToArray();
    }

    private static ModelDefinition SameOutputs(Func<ModelBuilder> build, int inputSize)
    {
        float[] x = Values(inputSize, 3).Select((v, i) => v * (1 + (i % 7))).ToArray();
        float[] before = Run(build().Definition, x);
        (ModelDefinition optimized, OptimizationReport report) = GraphOptimizer.Optimize(build().Definition);
        float[] after = Run(optimized, x);
        Assert.Equal(1, report.ClampedBatchNormsFolded);
        Assert.DoesNotContain(optimized.Nodes, n => n.Op == OpCode.BatchNorm);
        Assert.Equal(2, optimized.Nodes.Count); // the layer with the Clip around all channels' bounds, and the ChannelClip
        Assert.Equal(OpCode.ChannelClip, optimized.Nodes[1].Op);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(Math.Abs(before[i] - after[i]) <= 1e-5f + (1e-5f * Math.Abs(before[i])), $"element {i}: {after[i]} vs {before[i]}");
        }

        // Every a == 0 channel is constant, and the clamp bites: some outputs sit exactly on a bound.
        float[] lo = Passes(optimized, optimized.Nodes[1].Inputs[1]), hi = Passes(optimized, optimized.Nodes[1].Inputs[2]);
        int channels = lo.Length;
        Assert.Contains(after.Select((v, i) => (v, i)), p => p.v == lo[p.i % channels] || p.v == hi[p.i % channels]);
        return optimized;
    }

    private static float[] Passes(ModelDefinition m, int t) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(m.ConstantData[t]).ToArray();

    [Theory]
    [InlineData(OpCode.Relu, false)]
    [InlineData(OpCode.Relu, true)]
    [InlineData(OpCode.Clip, false)]
    public void Conv_activation_batchnorm_becomes_conv_and_channel_clip(OpCode activation, bool fused)
    {
        ModelDefinition m = SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 5, 5, 3]);
            NodeAttribute[] attributes = fused
                ? [NodeAttribute.IntList(AttributeKey.Pads, [1, 1, 1, 1]), NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Relu)]
                : [NodeAttribute.IntList(AttributeKey.Pads, [1, 1, 1, 1])];
            TensorRef c = b.Node(OpCode.Conv, [x, b.Constant("w", Values(6 * 3 * 3 * 3, 1), [6, 3, 3, 3]), b.Constant("cb", Values(6, 9), [6])], attributes);
            TensorRef r = fused ? c : activation == OpCode.Relu ? b.Node(OpCode.Relu, c)
                : b.Node(OpCode.Clip, c, NodeAttribute.Float(AttributeKey.Min, -0.5f), NodeAttribute.Float(AttributeKey.Max, 1.25f));
            b.Output(BatchNorm(b, r, 6));
            return b;
        }, 75);

        // Relu leaves channels with a < 0 unbounded below (lo = -inf), so the layer's own Clip is the whole line there; Clip
        // bounds both sides of every channel.
        float[] lo = Passes(m, m.Nodes[1].Inputs[1]);
        Assert.Equal(activation == OpCode.Relu, lo.Any(float.IsNegativeInfinity));
    }

    [Fact]
    public void Dense_with_fused_relu6_and_batchnorm_becomes_dense_and_channel_clip()
    {
        SameOutputs(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [4, 6]);
            TensorRef d = b.Node(OpCode.Dense, [x, b.Constant("w", Values(9 * 6, 2), [9, 6])], [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Relu6)]);
            b.Output(BatchNorm(b, d, 9));
            return b;
        }, 24);
    }

    [Fact]
    public void A_batchnorm_after_an_activation_it_cannot_fold_stays()
    {
        // LeakyRelu is no clamp; and a Relu'd conv output read twice cannot change.
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 3, 3, 2]);
        TensorRef c = b.Node(OpCode.Conv, [x, b.Constant("w", Values(2 * 2, 1), [2, 1, 1, 2])], [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.LeakyRelu)]);
        TensorRef c2 = b.Node(OpCode.Conv, [x, b.Constant("w2", Values(2 * 2, 2), [2, 1, 1, 2])], [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Relu)]);
        b.Output(b.Node(OpCode.Add, [BatchNorm(b, c, 2), b.Node(OpCode.Add, [BatchNorm(b, c2, 2), c2])]));
        (ModelDefinition optimized, OptimizationReport report) = GraphOptimizer.Optimize(b.Definition);
        Assert.Equal(0, report.ClampedBatchNormsFolded);
        Assert.Equal(2, optimized.Nodes.Count(n => n.Op == OpCode.BatchNorm));
    }
}
