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
}
