using EdgeCnn.Converter.Onnx.Proto;
using static EdgeCnn.Converter.Tests.Conversion.OnnxOpTestModel;

namespace EdgeCnn.Converter.Tests.Conversion;

public class NormalizationConversionTests
{
    private static readonly float[] s_x = Ramp(2 * 3 * 2 * 2).Select(i => MathF.Cos(i * 1.3f) * 2f).ToArray(); // [2, 3, 2, 2]

    private static OnnxOpTestModel BatchNormModel(int opset, long[] shape, params AttributeProto[] attributes) =>
        new OnnxOpTestModel(opset).Input("x", shape)
            .Floats("s", [1f, 2f, 0.5f], 3).Floats("b", [0f, -1f, 3f], 3).Floats("m", [0.5f, 0f, -1f], 3).Floats("v", [1f, 4f, 0.25f], 3)
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], attributes).Output("y");

    private static float[] BatchNormExpected(float[] x, int inner, float epsilon)
    {
        float[] s = [1f, 2f, 0.5f], b = [0f, -1f, 3f], m = [0.5f, 0f, -1f], v = [1f, 4f, 0.25f];
        return x.Select((value, i) =>
        {
            int c = i / inner % 3;
            return (float)(s[c] * (value - m[c]) / Math.Sqrt(v[c] + epsilon) + b[c]);
        }).ToArray();
    }

    [Fact]
    public void BatchNormalization_4d_normalizes_each_channel()
    {
        (float[] y, int[] shape) = BatchNormModel(15, [2, 3, 2, 2], Float("epsilon", 1e-3f), Float("momentum", 0.9f)).Run(s_x);
        Assert.Equal([2, 3, 2, 2], shape);
        OnnxOpTestModel.AssertClose(BatchNormExpected(s_x, 4, 1e-3f), y);
    }

    [Fact]
    public void BatchNormalization_2d_input_is_already_channel_last()
    {
        float[] x = s_x[..6];
        (float[] y, int[] shape) = BatchNormModel(7, [2, 3], Int("spatial", 1)).Run(x);
        Assert.Equal([2, 3], shape);
        OnnxOpTestModel.AssertClose(BatchNormExpected(x, 1, 1e-5f), y);
    }

    [Fact]
    public void BatchNormalization_refuses_training()
    {
        PoolingConversionTests.AssertRefused(BatchNormModel(14, [2, 3, 2, 2], Int("training_mode", 1)), "training_mode");
        PoolingConversionTests.AssertRefused(BatchNormModel(7, [2, 3, 2, 2], Int("spatial", 0)), "spatial");
        var model = new OnnxOpTestModel(9).Input("x", 2, 3, 2, 2)
            .Floats("s", [1f, 2f, 0.5f], 3).Floats("b", [0f, -1f, 3f], 3).Floats("m", [0.5f, 0f, -1f], 3).Floats("v", [1f, 4f, 0.25f], 3)
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y", "mean_out"]);
        PoolingConversionTests.AssertRefused(model, "training statistic");
    }

    [Theory]
    [InlineData("Softmax", false)]
    [InlineData("LogSoftmax", true)]
    public void Softmax_before_opset_13_coerces_to_2d(string op, bool log)
    {
        // axis 1 of [2, 3, 2, 2]: one softmax over the 12 values of each batch item
        (float[] y, _) = new OnnxOpTestModel(11).Input("x", 2, 3, 2, 2).Op(op).Output("y").Run(s_x);
        OnnxOpTestModel.AssertClose(NaiveNchw.Softmax(s_x, 2, 12, 1, log), y);
    }

    [Theory]
    [InlineData("Softmax", false)]
    [InlineData("LogSoftmax", true)]
    public void Softmax_from_opset_13_runs_along_one_axis(string op, bool log)
    {
        (float[] y, _) = new OnnxOpTestModel(13).Input("x", 2, 3, 2, 2).Op(op, Int("axis", 1)).Output("y").Run(s_x);
        OnnxOpTestModel.AssertClose(NaiveNchw.Softmax(s_x, 2, 3, 4, log), y);
        (float[] last, _) = new OnnxOpTestModel(13).Input("x", 2, 3, 2, 2).Op(op).Output("y").Run(s_x);
        OnnxOpTestModel.AssertClose(NaiveNchw.Softmax(s_x, 12, 2, 1, log), last);
    }

    [Fact]
    public void Softmax_on_a_channels_last_value_maps_the_axis()
    {
        // MaxPool 1x1 leaves the value channels-last; softmax over C then needs no transpose before it.
        OnnxOpTestModel model = new OnnxOpTestModel(13).Input("x", 2, 3, 2, 2)
            .Node("MaxPool", ["x"], ["p"], Ints("kernel_shape", 1, 1)).Node("Softmax", ["p"], ["y"], Int("axis", -3)).Output("y");
        (float[] y, _) = model.Run(s_x);
        OnnxOpTestModel.AssertClose(NaiveNchw.Softmax(s_x, 2, 3, 4, false), y);
        Assert.Equal(2, model.Convert().LayoutTransposes); // into and out of channels-last only
    }

    [Fact]
    public void Softmax_opset_11_on_the_last_axis_is_a_plain_softmax()
    {
        (float[] y, _) = new OnnxOpTestModel(11).Input("x", 2, 3, 2, 2).Op("Softmax", Int("axis", -1)).Output("y").Run(s_x);
        OnnxOpTestModel.AssertClose(NaiveNchw.Softmax(s_x, 12, 2, 1, false), y);
    }
}
