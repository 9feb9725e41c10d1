using static EdgeCnn.Converter.Tests.Conversion.OnnxOpTestModel;

namespace EdgeCnn.Converter.Tests.Conversion;

public class ShapeConversionTests
{
    private static readonly float[] s_x = Ramp(24); // [2, 3, 2, 2] or any 24-element shape

    [Fact]
    public void Dropout_and_identity_between_two_ops_leave_no_runtime_node()
    {
        var model = new OnnxOpTestModel(13).Input("x", 2, 3).Node("Relu", ["x"], ["a"]).Node("Dropout", ["a"], ["b"])
            .Node("Identity", ["b"], ["c"]).Node("Sigmoid", ["c"], ["y"]).Output("y");
        EdgeCnn.Converter.Conversion.ConversionResult r = model.Convert();
        Assert.Equal(2, r.RuntimeNodes); // Relu and Sigmoid only
        (float[] y, _) = model.Run(s_x[..6]);
        Assert.Equal(s_x[..6].Select(v => 1f / (1f + MathF.Exp(-Math.Max(v, 0f)))).ToArray(), y, (p, q) => Math.Abs(p - q) < 1e-6f);
    }

    [Fact]
    public void Identity_and_dropout_pass_values_through()
    {
        (float[] y, int[] shape) = new OnnxOpTestModel(13).Input("x", 2, 3, 4).Op("Identity").Output("y").Run(s_x);
        Assert.Equal(s_x, y);
        Assert.Equal([2, 3, 4], shape);

        (y, _) = new OnnxOpTestModel(12).Input("x", 2, 3, 4).Floats("r", [0.5f]).Node("Dropout", ["x", "r"], ["y"], Int("seed", 3)).Output("y").Run(s_x);
        Assert.Equal(s_x, y);
        (y, _) = new OnnxOpTestModel(7).Input("x", 2, 3, 4).Op("Dropout", Float("ratio", 0.2f)).Output("y").Run(s_x);
        Assert.Equal(s_x, y);

        // channels-last in, channels-last through: the identity adds no transpose
        OnnxOpTestModel pooled = new OnnxOpTestModel(13).Input("x", 2, 3, 2, 2).Node("MaxPool", ["x"], ["p"], Ints("kernel_shape", 1, 1))
            .Node("Identity", ["p"], ["y"]).Output("y");
        Assert.Equal(s_x, pooled.Run(s_x).Values);
        Assert.Equal(2, pooled.Convert().LayoutTransposes);

        PoolingConversionTests.AssertRefused(new OnnxOpTestModel(13).Input("x", 2, 3, 4).Node("Dropout", ["x"], ["y", "mask"]), "mask");
    }

    [Fact]
    public void Flatten_with_positive_and_negative_axes()
    {
        (float[] y, int[] shape) = new OnnxOpTestModel(9).Input("x", 2, 3, 2, 2).Op("Flatten", Int("axis", 2)).Output("y").Run(s_x);
        Assert.Equal([6, 4], shape);
        Assert.Equal(s_x, y);
        (_, shape) = new OnnxOpTestModel(11).Input("x", 2, 3, 2, 2).Op("Flatten", Int("axis", -3)).Output("y").Run(s_x);
        Assert.Equal([2, 12], shape);
        (_, shape) = new OnnxOpTestModel(13).Input("x", 2, 3, 2, 2).Op("Flatten").Output("y").Run(s_x);
        Assert.Equal([2, 12], shape);
    }

    [Fact]
    public void Flatten_of_a_channels_last_value_flattens_onnx_order()
    {
        (float[] y, int[] shape) = new OnnxOpTestModel(13).Input("x", 2, 3, 2, 2).Node("MaxPool", ["x"], ["p"], Ints("kernel_shape", 1, 1))
            .Node("Flatten", ["p"], ["y"]).Output("y").Run(s_x);
        Assert.Equal([2, 12], shape);
        Assert.Equal(s_x, y);
    }

    [Fact]
    public void Reshape_copies_zero_dims_and_infers_minus_one()
    {
        (float[] y, int[] shape) = new OnnxOpTestModel(13).Input("x", 2, 3, 4).Longs("s", [0, -1, 2], 3).Node("Reshape", ["x", "s"], ["y"]).Output("y").Run(s_x);
        Assert.Equal([2, 6, 2], shape);
        Assert.Equal(s_x, y);
        PoolingConversionTests.AssertRefused(new OnnxOpTestModel(14).Input("x", 2, 3, 4).Longs("s", [0, -1], 2)
            .Node("Reshape", ["x", "s"], ["y"], Int("allowzero", 1)), "allowzero");
        PoolingConversionTests.AssertRefused(new OnnxOpTestModel(13).Input("x", 2, 3, 4).Input("s", 2).Node("Reshape", ["x", "s"], ["y"]), "constant");
    }

    [Fact]
    public void Reshape_shape_folded_from_unsqueeze_and_concat_of_constants()
    {
        // shape = Concat(Unsqueeze(4), Transpose([[-1]]), Flatten(Squeeze([[[2]]]))) = [4, -1, 2], all folded at conversion
        OnnxOpTestModel model = new OnnxOpTestModel(13).Input("x", 2, 3, 4)
            .Longs("four", [4]).Longs("zero", [0], 1).Longs("m1", [-1], 1, 1).Longs("two", [2], 1, 1, 1)
            .Node("Unsqueeze", ["four", "zero"], ["a"]).Node("Transpose", ["m1"], ["bt"]).Node("Reshape", ["bt", "minus"], ["b"])
            .Longs("minus", [-1], 1).Node("Squeeze", ["two"], ["c2"]).Node("Unsqueeze", ["c2", "zero"], ["c"])
            .Node("Identity", ["c"], ["ci"]).Node("Concat", ["a", "b", "ci"], ["s"], Int("axis", 0)).Node("Reshape", ["x", "s"], ["y"]).Output("y");
        Assert.Equal([4, 3, 2], model.Run(s_x).Shape);
        Assert.Equal(7, model.Convert().FoldedNodes); // all but the last Reshape
    }

    [Fact]
    public void Squeeze_and_unsqueeze_take_axes_as_attribute_then_input()
    {
        (_, int[] shape) = new OnnxOpTestModel(11).Input("x", 2, 1, 12, 1).Op("Squeeze", Ints("axes", -1, 1)).Output("y").Run(s_x);
        Assert.Equal([2, 12], shape);
        (_, shape) = new OnnxOpTestModel(11).Input("x", 2, 1, 12, 1).Op("Squeeze").Output("y").Run(s_x);
        Assert.Equal([2, 12], shape);
        (float[] y, int[] shape13) = new OnnxOpTestModel(13).Input("x", 2, 1, 12, 1).Longs("a", [1], 1).Node("Squeeze", ["x", "a"], ["y"]).Output("y").Run(s_x);
        Assert.Equal([2, 12, 1], shape13);
        Assert.Equal(s_x, y);

        (_, shape) = new OnnxOpTestModel(11).Input("x", 2, 12).Op("Unsqueeze", Ints("axes", 0, -1)).Output("y").Run(s_x);
        Assert.Equal([1, 2, 12, 1], shape);
        (_, shape) = new OnnxOpTestModel(13).Input("x", 2, 12).Longs("a", [1], 1).Node("Unsqueeze", ["x", "a"], ["y"]).Output("y").Run(s_x);
        Assert.Equal([2, 1, 12], shape);
        PoolingConversionTests.AssertRefused(new OnnxOpTestModel(13).Input("x", 2, 12).Op("Unsqueeze", Ints("axes", 0)), "axes");
    }

    [Fact]
    public void Transpose_default_reverses_and_channels_last_inputs_compose()
    {
        // x [2, 3, 4]: y[k, j, i] = x[i, j, k]
        (float[] y, int[] shape) = new OnnxOpTestModel(13).Input("x", 2, 3, 4).Op("Transpose").Output("y").Run(s_x);
        Assert.Equal([4, 3, 2], shape);
        Assert.Equal(s_x[(1 * 3 + 2) * 4 + 3], y[(3 * 3 + 2) * 2 + 1]);

        // NCHW -> NHWC of a channels-last value: one transpose in total (the graph input's), composed to the identity perm
        OnnxOpTestModel model = new OnnxOpTestModel(13).Input("x", 2, 3, 2, 2).Node("MaxPool", ["x"], ["p"], Ints("kernel_shape", 1, 1))
            .Node("Transpose", ["p"], ["y"], Ints("perm", 0, 2, 3, 1)).Output("y");
        (y, shape) = model.Run(s_x);
        Assert.Equal([2, 2, 2, 3], shape);
        float[] expected = new float[24];
        for (int i = 0; i < 24; i++)
        {
            int n = i / 12, c = i / 4 % 3, h = i / 2 % 2, w = i % 2;
            expected[((n * 2 + h) * 2 + w) * 3 + c] = s_x[i];
        }

        Assert.Equal(expected, y);
        Assert.Equal(1, model.Convert().LayoutTransposes);
    }

    [Fact]
    public void Concat_in_onnx_layout_with_a_folded_constant()
    {
        // x [1, 2, 2] ++ Transpose(const [1, 2, 1] -> [1, 1, 2]) on axis 1
        (float[] y, int[] shape) = new OnnxOpTestModel(13).Input("x", 1, 2, 2).Floats("c", [7f, 8f], 1, 2, 1)
            .Node("Transpose", ["c"], ["ct"], Ints("perm", 0, 2, 1)).Node("Concat", ["x", "ct"], ["y"], Int("axis", -2)).Output("y").Run([1, 2, 3, 4]);
        Assert.Equal([1, 3, 2], shape);
        Assert.Equal([1f, 2, 3, 4, 7, 8], y);
    }

    [Fact]
    public void Concat_of_channels_last_values_stays_channels_last()
    {
        OnnxOpTestModel model = new OnnxOpTestModel(13).Input("x", 1, 2, 2, 2).Input("z", 1, 1, 2, 2)
            .Node("MaxPool", ["x"], ["px"], Ints("kernel_shape", 1, 1)).Node("MaxPool", ["z"], ["pz"], Ints("kernel_shape", 1, 1))
            .Node("Concat", ["px", "pz"], ["y"], Int("axis", 1)).Output("y");
        (float[] y, int[] shape) = model.Run(Ramp(8), Ramp(4, 1, 100));
        Assert.Equal([1, 3, 2, 2], shape);
        Assert.Equal([0f, 1, 2, 3, 4, 5, 6, 7, 100, 101, 102, 103], y);
        Assert.Equal(3, model.Convert().LayoutTransposes);
    }
}
