using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Runtime.Graph;
using static EdgeCnn.Converter.Tests.Conversion.OnnxOpTestModel;

namespace EdgeCnn.Converter.Tests.Conversion;

public class ActivationConversionTests
{
    private static float[] Convert(OnnxOpTestModel g, float[] x)
    {
        using InferenceSession s = InferenceSession.Load(OnnxConverter.Convert(g.Build()).Ecnn);
        x.CopyTo(s.Input<float>(0));
        s.Run();
        return s.Output<float>(0).ToArray();
    }

    private static readonly float[] s_x = [-3f, -0.5f, 0f, 0.5f, 8f];

    [Fact]
    public void Clip_takes_attributes_before_opset_11_and_inputs_from_11()
    {
        var old = new OnnxOpTestModel(7).Input("x", 5).Output("y").Node("Clip", ["x"], ["y"], Float("min", 0f), Float("max", 6f));
        Assert.Equal([0f, 0f, 0f, 0.5f, 6f], Convert(old, s_x));
        var current = new OnnxOpTestModel(13).Input("x", 5).Output("y")
            .Floats("lo", [-1f]).Floats("hi", [1f])
            .Node("Clip", ["x", "lo", "hi"], ["y"]);
        Assert.Equal([-1f, -0.5f, 0f, 0.5f, 1f], Convert(current, s_x));
        var maxOnly = new OnnxOpTestModel(13).Input("x", 5).Output("y").Floats("hi", [0.25f]).Node("Clip", ["x", "", "hi"], ["y"]);
        Assert.Equal([-3f, -0.5f, 0f, 0.25f, 0.25f], Convert(maxOnly, s_x));
    }

    [Fact]
    public void Attribute_defaults_follow_the_onnx_spec()
    {
        float[] y = Convert(new OnnxOpTestModel(13).Input("x", 5).Output("y").Node("LeakyRelu", ["x"], ["y"]), s_x);
        Assert.Equal([-0.03f, -0.005f, 0f, 0.5f, 8f], y);
        y = Convert(new OnnxOpTestModel(13).Input("x", 5).Output("y").Node("HardSigmoid", ["x"], ["y"]), s_x);
        Assert.Equal([0f, 0.4f, 0.5f, 0.6f, 1f], y, (a, b) => Math.Abs(a - b) < 1e-6f);
        y = Convert(new OnnxOpTestModel(13).Input("x", 5).Output("y").Node("Elu", ["x"], ["y"], Float("alpha", 2f)), s_x);
        Assert.Equal(2 * (MathF.Exp(-3f) - 1), y[0], 5);
    }

    [Fact]
    public void PRelu_with_a_per_channel_slope_after_a_conv_is_computed_channels_last()
    {
        float[] x = NaiveNchw.Values(2 * 3 * 3, 2);
        var g = new OnnxOpTestModel(13).Input("x", 1, 2, 3, 3).Output("y")
            .Floats("w", [1f, 0f, 0f, 1f], 2, 2, 1, 1).Floats("slope", [0.1f, 0.5f], 2, 1, 1)
            .Node("Conv", ["x", "w"], ["c"]).Node("PRelu", ["c", "slope"], ["y"]);
        ConversionResult r = OnnxConverter.Convert(g.Build());
        float[] y = Convert(g, x);
        for (int i = 0; i < x.Length; i++)
        {
            float slope = i < 9 ? 0.1f : 0.5f;
            Assert.Equal(x[i] < 0 ? slope * x[i] : x[i], y[i], 6);
        }

        Assert.Equal(2, r.LayoutTransposes);
    }

    [Fact]
    public void Shape_arithmetic_is_folded_at_conversion_time()
    {
        // y = x + float(shape(x)[1]) : Shape -> Gather -> Cast fold to the constant 3.
        var g = new OnnxOpTestModel(13).Input("x", 2, 3).Output("y")
            .Floats("one", [1f])
            .Node("Shape", ["x"], ["s"])
            .Node("Constant", [], ["idx"], Int("value_int", 1))
            .Node("Gather", ["s", "idx"], ["d"])
            .Node("Cast", ["d"], ["df"], Int("to", 1))
            .Node("Add", ["x", "df"], ["y"]);
        ConversionResult r = OnnxConverter.Convert(g.Build());
        Assert.Equal(4, r.FoldedNodes);
        Assert.Equal([4f, 5f, 6f, 7f, 8f, 9f], Convert(g, [1f, 2f, 3f, 4f, 5f, 6f]));
    }

    [Fact]
    public void Max_and_min_with_a_per_channel_constant_after_a_conv_become_one_channel_clip()
    {
        float[] x = NaiveNchw.Values(2 * 3 * 3, 2);
        var g = new OnnxOpTestModel(13).Input("x", 1, 2, 3, 3).Output("y")
            .Floats("w", [1f, 0f, 0f, 1f], 2, 2, 1, 1).Floats("lo", [-0.1f, 0.2f], 2, 1, 1).Floats("hi", [0.3f], 1)
            .Node("Conv", ["x", "w"], ["c"]).Node("Max", ["c", "lo"], ["m"]).Node("Min", ["hi", "m"], ["y"]);
        ConversionResult r = OnnxConverter.Convert(g.Build());
        using (var m = Runtime.Format.EcnnModel.Load(r.Ecnn))
        {
            Assert.Single(m.Nodes, n => n.Op == OpCode.ChannelClip); // Max then Min merged
        }

        float[] y = Convert(g, x);
        for (int i = 0; i < x.Length; i++)
        {
            float lo = i < 9 ? -0.1f : 0.2f;
            Assert.Equal(Math.Min(Math.Max(x[i], lo), 0.3f), y[i]);
        }
    }

    [Fact]
    public void Max_of_two_activations_or_a_constant_along_space_is_refused_by_name()
    {
        var two = new OnnxOpTestModel(13).Input("x", 1, 2, 3, 3).Output("y").Node("Relu", ["x"], ["r"]).Node("Max", ["x", "r"], ["y"]);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => two.Convert());
        Assert.Contains("Max", e.Message, StringComparison.Ordinal);
        Assert.Contains("one constant", e.Message, StringComparison.Ordinal);
        var spatial = new OnnxOpTestModel(13).Input("x", 1, 2, 3, 3).Output("y").Floats("k", NaiveNchw.Values(3, 1), 3).Node("Min", ["x", "k"], ["y"]);
        e = Assert.Throws<OnnxImportException>(() => spatial.Convert());
        Assert.Contains("axis 1", e.Message, StringComparison.Ordinal);
    }
}
