using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Tests.Quantization;

public class Int8QuantizerTests
{
    private static Int8Result Quantize(ModelDefinition m, Int8Options? options = null, int samples = 24) =>
        Int8Conversion.Convert(m, QuantTestModels.Samples(samples, 8 * 8 * 3), options ?? new Int8Options { Threads = 2, MeasureSamples = 8 });

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    [InlineData(CalibrationMethod.Mse)]
    public void Every_layer_goes_int8_and_the_output_tracks_fp32(CalibrationMethod method)
    {
        Int8Result r = Quantize(QuantTestModels.SmallCnn(), new Int8Options { Method = method, Threads = 2, MeasureSamples = 8 });
        Assert.All(r.Model.Layers, l => Assert.True(l.Precision == LayerPrecision.Int8, $"{l.Name}: {l.Reason}"));
        Assert.True(r.Errors.Outputs[0].SqnrDb > 20, $"{method}: output SQNR {r.Errors.Outputs[0].SqnrDb:F1} dB");
        Assert.True(r.Errors.Outputs[0].Cosine > 0.99, $"{method}: cosine {r.Errors.Outputs[0].Cosine}");

        using InferenceSession s = InferenceSession.Load(r.Ecnn);
        Assert.Equal(DataType.Float32, s.Inputs[0].Type);   // the model's interface does not change
        Assert.Equal(DataType.Float32, s.Outputs[0].Type);
        Assert.Equal(1, r.Model.QuantizeNodes);
        Assert.Equal(1, r.Model.DequantizeNodes);
        Assert.Equal(DataType.Int8, s.Model.Tensors[s.Model.Nodes.First(n => n.Op == OpCode.Conv).Inputs[1]].Type);
        Assert.Contains(s.Model.Metadata, kv => string.Equals(kv.Key, "quantization", StringComparison.Ordinal) && kv.Value.Contains(CalibrationMethods.Name(method), StringComparison.Ordinal));
    }

    [Fact]
    public void Weights_and_bias_are_int8_per_channel_and_int32()
    {
        Int8Result r = Quantize(QuantTestModels.SmallCnn());
        using EcnnModel m = EcnnModel.Load(r.Ecnn);
        NodeDesc conv = m.Nodes.First(n => string.Equals(n.Name, "conv1", StringComparison.Ordinal));
        TensorDesc w = m.Tensors[conv.Inputs[1]], b = m.Tensors[conv.Inputs[2]];
        Assert.Equal(DataType.Int8, w.Type);
        Assert.Equal(0, w.Quantization!.Axis);
        Assert.Equal(8, w.Quantization.Scales.Length);
        Assert.Equal(DataType.Int32, b.Type);
        Assert.Equal(-128, m.Tensors[conv.Outputs[0]].Quantization!.ZeroPoint); // fused Relu: the range starts at 0
    }

    [Fact]
    public void Quantized_model_runs_without_allocating()
    {
        Int8Result r = Quantize(QuantTestModels.SmallCnn());
        using InferenceSession s = InferenceSession.Load(r.Ecnn);
        QuantTestModels.Random(new Random(5), 192).CopyTo(s.Input<float>(0));
        s.Run();
        s.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            s.Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Keep_float_by_name_puts_dequantize_and_quantize_around_the_layer()
    {
        Int8Result r = Quantize(QuantTestModels.SmallCnn(), new Int8Options { KeepFloat = ["add"], Threads = 1, MeasureSamples = 4 });
        QuantizedLayer add = r.Model.Layers.Single(l => string.Equals(l.Name, "add", StringComparison.Ordinal));
        Assert.Equal(LayerPrecision.Fp32, add.Precision);
        Assert.Equal("kept fp32 by --keep-float", add.Reason);
        Assert.Equal(LayerPrecision.Int8, r.Model.Layers.Single(l => string.Equals(l.Name, "dense", StringComparison.Ordinal)).Precision);
        using EcnnModel m = EcnnModel.Load(r.Ecnn);
        NodeDesc addNode = m.Nodes.Single(n => string.Equals(n.Name, "add", StringComparison.Ordinal));
        Assert.Equal(OpCode.Dequantize, m.Nodes.Single(n => n.Outputs.Contains(addNode.Inputs[0])).Op);
        // Flatten only moves data, so it follows the fp32 Add; the int8 Dense after it quantizes its input.
        Assert.Equal("moves data only: follows its fp32 input", r.Model.Layers.Single(l => string.Equals(l.Name, "flatten", StringComparison.Ordinal)).Reason);
        NodeDesc dense = m.Nodes.Single(n => string.Equals(n.Name, "dense", StringComparison.Ordinal));
        Assert.Equal(OpCode.Quantize, m.Nodes.Single(n => n.Outputs.Contains(dense.Inputs[0])).Op);
        Assert.Equal(2, r.Model.QuantizeNodes);
        Assert.Equal(2, r.Model.DequantizeNodes);
        Assert.True(r.Errors.Outputs[0].SqnrDb > 20);
    }

    [Fact]
    public void An_unknown_keep_float_name_lists_the_layers()
    {
        CalibrationException e = Assert.Throws<CalibrationException>(() =>
            Quantize(QuantTestModels.SmallCnn(), new Int8Options { KeepFloat = ["nope"], Threads = 1 }));
        Assert.Contains("no layer is named 'nope'", e.Message, StringComparison.Ordinal);
        Assert.Contains("conv1, dwconv, pool", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fused_activation_without_an_int8_form_stays_fp32_with_the_runtimes_reason()
    {
        Int8Result r = Quantize(QuantTestModels.SmallCnn(firstActivation: FusedActivation.LeakyRelu));
        QuantizedLayer conv = r.Model.Layers.Single(l => string.Equals(l.Name, "conv1", StringComparison.Ordinal));
        Assert.Equal(LayerPrecision.Fp32, conv.Precision);
        Assert.Contains("int8 Conv rejects it", conv.Reason, StringComparison.Ordinal);
        Assert.Equal(LayerPrecision.Int8, r.Model.Layers.Single(l => string.Equals(l.Name, "dwconv", StringComparison.Ordinal)).Precision);
        using EcnnModel m = EcnnModel.Load(r.Ecnn);
        Assert.DoesNotContain(m.Nodes, n => n.Op == OpCode.Quantize && string.Equals(m.Tensors[n.Inputs[0]].Name, "x", StringComparison.Ordinal)); // no dead boundary left
    }

    [Fact]
    public void Auto_keep_float_follows_the_threshold()
    {
        Int8Result none = Quantize(QuantTestModels.SmallCnn(), new Int8Options { AutoKeepFloat = true, AutoThresholdDb = 0, Threads = 2, MeasureSamples = 4 });
        Assert.All(none.Model.Layers, l => Assert.Equal(LayerPrecision.Int8, l.Precision));

        Int8Result r = Quantize(QuantTestModels.SmallCnn(), new Int8Options { AutoKeepFloat = true, AutoThresholdDb = 150, Threads = 2, MeasureSamples = 4 });
        QuantizedLayer conv = r.Model.Layers.Single(l => string.Equals(l.Name, "conv1", StringComparison.Ordinal));
        Assert.Equal(LayerPrecision.Fp32, conv.Precision);
        Assert.StartsWith("auto: alone in int8 it measures", conv.Reason, StringComparison.Ordinal);
        Assert.NotNull(r.Errors.Isolated[conv.Node]); // the figure that decided stays in the report
        Assert.True(r.Errors.Outputs[0].SqnrDb > none.Errors.Outputs[0].SqnrDb, "keeping layers fp32 must reduce the error");
    }

    [Fact]
    public void Calibration_does_not_depend_on_the_thread_count()
    {
        ModelDefinition m = QuantTestModels.SmallCnn();
        byte[] a = Int8Conversion.Convert(m, QuantTestModels.Samples(10, 192), new Int8Options { Method = CalibrationMethod.Entropy, Threads = 1, MeasureSamples = 2 }).Ecnn;
        byte[] b = Int8Conversion.Convert(m, QuantTestModels.Samples(10, 192), new Int8Options { Method = CalibrationMethod.Entropy, Threads = 3, MeasureSamples = 2 }).Ecnn;
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_sample_of_the_wrong_size_is_refused_by_name()
    {
        CalibrationException e = Assert.Throws<CalibrationException>(() =>
            Int8Conversion.Convert(QuantTestModels.SmallCnn(), QuantTestModels.Samples(2, 10), new Int8Options { Threads = 1 }));
        Assert.Contains("holds 10 values; the model input holds 192", e.Message, StringComparison.Ordinal);
    }
}
