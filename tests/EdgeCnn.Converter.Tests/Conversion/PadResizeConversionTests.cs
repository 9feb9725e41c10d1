using EdgeCnn.Converter.Onnx.Proto;
using static EdgeCnn.Converter.Tests.Conversion.OnnxOpTestModel;

namespace EdgeCnn.Converter.Tests.Conversion;

public class PadResizeConversionTests
{
    private static readonly float[] s_x = Ramp(2 * 3 * 3).Select(i => MathF.Sin(i * 0.9f) * 4f).ToArray(); // [1, 2, 3, 3]

    [Fact]
    public void Pad_before_opset_11_takes_attributes()
    {
        (float[] y, int[] shape) = new OnnxOpTestModel(7).Input("x", 1, 1, 3)
            .Op("Pad", Ints("pads", 0, 0, 2, 0, 0, 1), String("mode", "reflect")).Output("y").Run([1, 2, 3]);
        Assert.Equal([1, 1, 6], shape);
        Assert.Equal([3f, 2, 1, 2, 3, 2], y);
        (y, _) = new OnnxOpTestModel(7).Input("x", 1, 1, 3).Op("Pad", Ints("pads", 0, 0, 1, 0, 0, 0), Float("value", -5f)).Output("y").Run([1, 2, 3]);
        Assert.Equal([-5f, 1, 2, 3], y);
    }

    [Fact]
    public void Pad_opset_11_takes_inputs_and_opset_18_axes()
    {
        (float[] y, int[] shape) = new OnnxOpTestModel(11).Input("x", 1, 1, 2, 2).Longs("p", [0, 0, 1, 0, 0, 0, 0, 2], 8).Floats("v", [9f])
            .Node("Pad", ["x", "p", "v"], ["y"]).Output("y").Run([1, 2, 3, 4]);
        Assert.Equal([1, 1, 3, 4], shape);
        Assert.Equal([9f, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9], y);

        (y, shape) = new OnnxOpTestModel(18).Input("x", 1, 1, 2, 2).Longs("p", [1, 0], 2).Longs("a", [-1], 1)
            .Node("Pad", ["x", "p", "", "a"], ["y"], String("mode", "edge")).Output("y").Run([1, 2, 3, 4]);
        Assert.Equal([1, 1, 2, 3], shape);
        Assert.Equal([1f, 1, 2, 3, 3, 4], y);

        PoolingConversionTests.AssertRefused(new OnnxOpTestModel(19).Input("x", 1, 1, 2, 2).Longs("p", [0, 0, 1, 0, 0, 0, 0, 0], 8)
            .Node("Pad", ["x", "p"], ["y"], String("mode", "wrap")), "wrap");
    }

    [Fact]
    public void Pad_of_a_channels_last_value_permutes_the_pads()
    {
        OnnxOpTestModel model = new OnnxOpTestModel(13).Input("x", 1, 2, 2, 2).Longs("p", [0, 0, 1, 1, 0, 0, 0, 0], 8)
            .Node("MaxPool", ["x"], ["m"], Ints("kernel_shape", 1, 1)).Node("Pad", ["m", "p"], ["y"]).Output("y");
        (float[] y, int[] shape) = model.Run(Ramp(8, 1, 1));
        Assert.Equal([1, 2, 3, 3], shape);
        Assert.Equal([0f, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 5, 6, 0, 7, 8], y);
        Assert.Equal(2, model.Convert().LayoutTransposes);
    }

    private static void AssertResize(OnnxOpTestModel model, int oh, int ow, float sh, float sw, string coordinates, string mode, string nearest,
        float[]? input = null)
    {
        input ??= s_x;
        (float[] y, int[] shape) = model.Output("y").Run(input);
        Assert.Equal([1, 2, oh, ow], shape);
        OnnxOpTestModel.AssertClose(NaiveNchw.Resize2D(input, 2, 3, 3, oh, ow, sh, sw, coordinates, mode, nearest), y);
    }

    private static OnnxOpTestModel Resize(int opset, float[]? scales, long[]? sizes, params AttributeProto[] attributes)
    {
        var m = new OnnxOpTestModel(opset).Input("x", 1, 2, 3, 3);
        string[] inputs = ["x", "", "", ""];
        if (scales is not null)
        {
            m.Floats("scales", scales, scales.Length);
            inputs[2] = "scales";
        }

        if (sizes is not null)
        {
            m.Longs("sizes", sizes, sizes.Length);
            inputs[3] = "sizes";
        }

        return m.Node("Resize", sizes is null ? inputs[..3] : inputs, ["y"], attributes);
    }

    [Fact]
    public void Resize_nearest_from_scales()
    {
        AssertResize(Resize(13, [1, 1, 2, 1.5f], null, String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor")),
            6, 4, 2, 1.5f, "asymmetric", "nearest", "floor");
        AssertResize(Resize(19, [1, 1, 2, 2], null), 6, 6, 2, 2, "half_pixel", "nearest", "round_prefer_floor");
    }

    [Fact]
    public void Resize_linear_from_sizes_and_scales()
    {
        AssertResize(Resize(13, null, [1, 2, 5, 7], String("mode", "linear")), 5, 7, 5 / 3f, 7 / 3f, "half_pixel", "linear", "");
        AssertResize(Resize(11, null, [1, 2, 4, 6], String("mode", "linear"), String("coordinate_transformation_mode", "align_corners")),
            4, 6, 4 / 3f, 2, "align_corners", "linear", "");
        AssertResize(Resize(13, null, [1, 2, 1, 2], String("mode", "linear"), String("coordinate_transformation_mode", "pytorch_half_pixel")),
            1, 2, 1 / 3f, 2 / 3f, "pytorch_half_pixel", "linear", "");
    }

    [Fact]
    public void Resize_align_corners_from_scales_uses_the_unrounded_output_length()
    {
        // ONNX's test_resize_downsample_scales_linear_align_corners: x [1, 1, 2, 4] = 1..8, scales 0.6 -> [1, 1, 1, 2];
        // along W, c = x (4 - 1) / (4 * 0.6 - 1) = 2.142857 for x = 1, so y = 1 + 2.142857.
        (float[] y, int[] shape) = new OnnxOpTestModel(13).Input("x", 1, 1, 2, 4).Floats("scales", [1, 1, 0.6f, 0.6f], 4)
            .Node("Resize", ["x", "", "scales"], ["y"], String("mode", "linear"), String("coordinate_transformation_mode", "align_corners"))
            .Output("y").Run(Ramp(8, 1, 1));
        Assert.Equal([1, 1, 1, 2], shape);
        OnnxOpTestModel.AssertClose([1f, 3.142857f], y);
    }

    [Fact]
    public void Resize_opset_11_with_roi_and_an_empty_scales_input()
    {
        OnnxOpTestModel model = new OnnxOpTestModel(11).Input("x", 1, 2, 3, 3).Floats("roi", [], 0).Floats("scales", [], 0).Longs("sizes", [1, 2, 2, 2], 4)
            .Node("Resize", ["x", "roi", "scales", "sizes"], ["y"], String("nearest_mode", "round_prefer_ceil"));
        AssertResize(model, 2, 2, 2 / 3f, 2 / 3f, "half_pixel", "nearest", "round_prefer_ceil");
    }

    [Fact]
    public void Resize_opset_18_axes_listing_every_axis()
    {
        OnnxOpTestModel model = Resize(18, [2, 1, 1, 2], null, Ints("axes", 2, 0, 1, 3), String("coordinate_transformation_mode", "pytorch_half_pixel"));
        AssertResize(model, 6, 6, 2, 2, "pytorch_half_pixel", "nearest", "round_prefer_floor");
        PoolingConversionTests.AssertRefused(new OnnxOpTestModel(18).Input("x", 1, 2, 3, 3).Floats("scales", [2, 2], 2)
            .Node("Resize", ["x", "", "scales"], ["y"], Ints("axes", 2, 3)), "axes");
    }

    [Fact]
    public void Resize_of_a_channels_last_value_permutes_sizes_and_scales()
    {
        OnnxOpTestModel model = new OnnxOpTestModel(13).Input("x", 1, 2, 3, 3).Floats("scales", [1, 1, 2, 1.5f], 4)
            .Node("MaxPool", ["x"], ["m"], Ints("kernel_shape", 1, 1)).Node("Resize", ["m", "", "scales"], ["y"], String("mode", "linear"));
        AssertResize(model, 6, 4, 2, 1.5f, "half_pixel", "linear", "");
        Assert.Equal(2, model.Convert().LayoutTransposes);
    }

    [Fact]
    public void Resize_opset_10_is_asymmetric_and_truncates_or_rounds_up()
    {
        OnnxOpTestModel up = new OnnxOpTestModel(10).Input("x", 1, 2, 3, 3).Floats("scales", [1, 1, 2, 3], 4).Node("Resize", ["x", "scales"], ["y"]);
        AssertResize(up, 6, 9, 2, 3, "asymmetric", "nearest", "floor");
        OnnxOpTestModel down = new OnnxOpTestModel(10).Input("x", 1, 2, 3, 3).Floats("scales", [1, 1, 0.6f, 0.6f], 4).Node("Resize", ["x", "scales"], ["y"]);
        AssertResize(down, 1, 1, 0.6f, 0.6f, "asymmetric", "nearest", "ceil");
        OnnxOpTestModel linear = new OnnxOpTestModel(10).Input("x", 1, 2, 3, 3).Floats("scales", [1, 1, 2, 2], 4)
            .Node("Resize", ["x", "scales"], ["y"], String("mode", "linear"));
        AssertResize(linear, 6, 6, 2, 2, "asymmetric", "linear", "");
    }

    [Fact]
    public void Upsample_scales_attribute_then_input()
    {
        AssertResize(new OnnxOpTestModel(7).Input("x", 1, 2, 3, 3).Op("Upsample", FloatList("scales", 1, 1, 2, 2), String("mode", "linear")),
            6, 6, 2, 2, "asymmetric", "linear", "");
        AssertResize(new OnnxOpTestModel(9).Input("x", 1, 2, 3, 3).Floats("s", [1, 1, 2, 3], 4).Node("Upsample", ["x", "s"], ["y"]),
            6, 9, 2, 3, "asymmetric", "nearest", "floor");
    }

    [Fact]
    public void Resize_refuses_what_the_runtime_does_not_compute()
    {
        PoolingConversionTests.AssertRefused(Resize(13, [1, 1, 2, 2], null, String("mode", "cubic")), "cubic");
        PoolingConversionTests.AssertRefused(Resize(13, [1, 1, 2, 2], null, String("coordinate_transformation_mode", "tf_crop_and_resize")), "tf_crop_and_resize");
        PoolingConversionTests.AssertRefused(Resize(13, [1, 1, 2, 2], null, Int("exclude_outside", 1)), "exclude_outside");
        PoolingConversionTests.AssertRefused(Resize(18, [1, 1, 2, 2], null, Int("antialias", 1)), "antialias");
        PoolingConversionTests.AssertRefused(Resize(18, null, [1, 2, 6, 6], String("keep_aspect_ratio_policy", "not_larger")), "keep_aspect_ratio_policy");
        PoolingConversionTests.AssertRefused(Resize(13, [1, 1, 2, 2], null, Int("antialias", 0)), "antialias"); // an opset 18 attribute
    }
}
