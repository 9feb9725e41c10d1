using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Converter.Qdq;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Converter.Tests.Quantization;
using EdgeCnn.Runtime.Graph;
using Google.Protobuf;

namespace EdgeCnn.Converter.Tests.Qdq;

/// <summary>
/// QDQ out and back in: the int8 model written with --emit-qdq, converted again, is the same int8 model (its own scales,
/// zero points and weights), so it computes bit for bit what the original .ecnn computes.
/// </summary>
public class QdqRoundTripTests
{
    [Theory]
    [InlineData(QdqEncoding.UInt8)]
    [InlineData(QdqEncoding.Int8)]
    public void An_exported_qdq_model_imports_as_the_same_int8_model(QdqEncoding encoding)
    {
        Int8Result r = Int8Conversion.Convert(QuantTestModels.SmallCnn(), QuantTestModels.Samples(16, 192), new Int8Options { Threads = 1, MeasureSamples = 2 });
        ModelProto qdq = QdqExporter.Export(r.Model.Definition, encoding);
        ConversionResult back = OnnxConverter.Convert(ModelProto.Parser.ParseFrom(qdq.ToByteArray()));
        using (var m = Runtime.Format.EcnnModel.Load(back.Ecnn))
        {
            string fp32 = string.Join(", ", m.Nodes.Where(n => n.Op is not (OpCode.Quantize or OpCode.Dequantize) && m.Tensors[n.Outputs[0]].Type != DataType.Int8).Select(n => $"{n.Name} ({n.Op})"));
            Assert.True(fp32.Length == 0, $"fp32 after import: {fp32}");
        }

        Assert.Equal(r.Model.Layers.Count(l => l.Precision == LayerPrecision.Int8 && !QuantParams.FollowsInput(l.Op)), back.QdqLayersFused);

        using InferenceSession a = InferenceSession.Load(r.Ecnn);
        using InferenceSession b = InferenceSession.Load(back.Ecnn);
        Assert.Equal(
            a.Model.Nodes.Where(n => n.Op == OpCode.Conv).Select(n => a.Model.Tensors[n.Inputs[1]].Quantization!.Scales),
            b.Model.Nodes.Where(n => n.Op == OpCode.Conv).Select(n => b.Model.Tensors[n.Inputs[1]].Quantization!.Scales));
        var rng = new Random(9);
        for (int i = 0; i < 20; i++)
        {
            float[] x = QuantTestModels.Random(rng, 192, 1.2f);
            x.CopyTo(a.Input<float>(0));
            x.CopyTo(b.Input<float>(0));
            a.Run();
            b.Run();
            Assert.Equal(a.Output<float>(0).ToArray(), b.Output<float>(0).ToArray());
        }
    }

    [Fact]
    public void Batchnorms_folded_after_relu_round_trip_as_max_min_and_stay_bit_exact()
    {
        // Conv+Relu -> BatchNorm (a > 0, a < 0 and a == 0 channels) -> Flatten -> Dense+Relu -> BatchNorm -> Dense -> Softmax.
        var rng = new Random(4);
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 6, 6, 3]);
        TensorRef c = b.Conv(x, b.Constant("w1", QuantTestModels.Random(rng, 6 * 27, 0.5f), [6, 3, 3, 3]), b.Constant("b1", QuantTestModels.Random(rng, 6, 0.2f), [6]),
            new ConvOptions { Pads = [1, 1, 1, 1], Activation = FusedActivation.Relu }, name: "conv1");
        TensorRef f = b.Node(OpCode.Flatten, [BatchNorm(b, c, 6, rng)], [NodeAttribute.Int(AttributeKey.Axis, 1)], null, "flatten");
        TensorRef d = b.Dense(f, b.Constant("wd", QuantTestModels.Random(rng, 9 * 216, 0.2f), [9, 216]), b.Constant("bd", QuantTestModels.Random(rng, 9, 0.1f), [9]),
            new ConvOptions { Activation = FusedActivation.Relu }, name: "dense1");
        TensorRef d2 = b.Dense(BatchNorm(b, d, 9, rng), b.Constant("wd2", QuantTestModels.Random(rng, 5 * 9, 0.5f), [5, 9]), null, name: "dense2");
        b.Output(b.Node(OpCode.Softmax, [d2], null, null, "probabilities"));
        (ModelDefinition optimized, Converter.Passes.OptimizationReport report) = Converter.Passes.GraphOptimizer.Optimize(b.Definition);
        Assert.Equal(2, report.ClampedBatchNormsFolded);

        Int8Result r = Int8Conversion.Convert(optimized, QuantTestModels.Samples(32, 108), new Int8Options { Threads = 1, MeasureSamples = 2 });
        ConversionResult back = OnnxConverter.Convert(ModelProto.Parser.ParseFrom(QdqExporter.Export(r.Model.Definition).ToByteArray()));
        using InferenceSession ours = InferenceSession.Load(r.Ecnn);
        using InferenceSession imported = InferenceSession.Load(back.Ecnn);
        foreach (InferenceSession s in new[] { ours, imported })
        {
            NodeDesc[] clips = s.Model.Nodes.Where(n => n.Op == OpCode.ChannelClip).ToArray();
            Assert.Equal(2, clips.Length);
            Assert.All(clips, n => Assert.Equal(DataType.Int8, s.Model.Tensors[n.Outputs[0]].Type));
            Assert.DoesNotContain(s.Model.Nodes, n => n.Op == OpCode.BatchNorm);
        }

        // The layer before each clamp shares its quantization (the post-clamp range).
        foreach (NodeDesc clip in ours.Model.Nodes.Where(n => n.Op == OpCode.ChannelClip))
        {
            QuantizationInfo q = ours.Model.Tensors[clip.Inputs[0]].Quantization!, qy = ours.Model.Tensors[clip.Outputs[0]].Quantization!;
            Assert.Equal((q.Scale, q.ZeroPoint), (qy.Scale, qy.ZeroPoint));
        }

        for (int i = 0; i < 30; i++)
        {
            float[] input = QuantTestModels.Random(rng, 108, 1.2f);
            input.CopyTo(ours.Input<float>(0));
            input.CopyTo(imported.Input<float>(0));
            ours.Run();
            imported.Run();
            Assert.Equal(ours.Output<float>(0).ToArray(), imported.Output<float>(0).ToArray());
        }
    }

    private static TensorRef BatchNorm(ModelBuilder b, TensorRef x, int c, Random rng)
    {
        float[] scale = Enumerable.Range(0, c).Select(i => (i % 3) switch { 0 => 1.2f, 1 => -0.8f, _ => 0f }).ToArray();
        return b.Node(OpCode.BatchNorm, [x, b.Constant($"scale{c}", scale, [c]), b.Constant($"beta{c}", QuantTestModels.Random(rng, c, 0.5f), [c]),
            b.Constant($"mean{c}", QuantTestModels.Random(rng, c, 0.3f), [c]), b.Constant($"var{c}", Enumerable.Repeat(0.7f, c).ToArray(), [c])]);
    }
}
