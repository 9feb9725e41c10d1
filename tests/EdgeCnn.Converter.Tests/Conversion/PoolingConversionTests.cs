using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using static EdgeCnn.Converter.Tests.Conversion.OnnxOpTestModel;
using PoolKind = EdgeCnn.Converter.Tests.Conversion.NaiveNchw.PoolKind;

namespace EdgeCnn.Converter.Tests.Conversion;

public class PoolingConversionTests
{
    private static readonly float[] s_x = Ramp(2 * 3 * 5 * 6).Select(i => MathF.Sin(i * 0.7f) * 3f).ToArray(); // [2, 3, 5, 6]

    private static void AssertPool(int opset, string op, PoolKind kind, int[] k, int[] s, int[] pads, int[] d, bool ceil, params AttributeProto[] extra)
    {
        var attributes = new List<AttributeProto> { Ints("kernel_shape", k.Select(v => (long)v).ToArray()) };
        attributes.AddRange(extra);
        (float[] y, int[] shape) = new OnnxOpTestModel(opset).Input("x", 2, 3, 5, 6).Op(op, [.. attributes]).Output("y").Run(s_x);
        (float[] expected, int oh, int ow) = NaiveNchw.Pool2D(s_x, 2, 3, 5, 6, kind, k, s, pads, d, ceil);
        Assert.Equal([2, 3, oh, ow], shape);
        AssertClose(expected, y);
    }

    [Fact]
    public void MaxPool_with_strides_and_pads()
    {
        AssertPool(8, "MaxPool", PoolKind.Max, [3, 2], [2, 1], [1, 0, 1, 1], [1, 1], false,
            Ints("strides", 2, 1), Ints("pads", 1, 0, 1, 1), Int("storage_order", 0));
    }

    [Fact]
    public void MaxPool_ceil_mode_and_dilations_from_opset_10()
    {
        AssertPool(12, "MaxPool", PoolKind.Max, [2, 2], [2, 2], [0, 0, 0, 0], [2, 1], true,
            Ints("strides", 2, 2), Ints("dilations", 2, 1), Int("ceil_mode", 1));
    }

    [Fact]
    public void MaxPool_same_upper_pads_the_end()
    {
        // in 5 x 6, k 3 x 2, s 2: out 3 x 3; total pads 2 (rows: begin 1, end 1) and 1 (cols: begin 0, end 1)
        AssertPool(11, "MaxPool", PoolKind.Max, [3, 2], [2, 2], [1, 0, 1, 1], [1, 1], false, Ints("strides", 2, 2), String("auto_pad", "SAME_UPPER"));
    }

    [Fact]
    public void AveragePool_excludes_or_includes_padding()
    {
        AssertPool(7, "AveragePool", PoolKind.Average, [3, 3], [1, 2], [1, 1, 1, 1], [1, 1], false, Ints("strides", 1, 2), Ints("pads", 1, 1, 1, 1));
        AssertPool(10, "AveragePool", PoolKind.AverageIncludePad, [3, 3], [2, 2], [1, 1, 1, 1], [1, 1], true,
            Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Int("count_include_pad", 1), Int("ceil_mode", 1));
    }

    [Fact]
    public void LpPool_p2_with_dilations_from_opset_18()
    {
        AssertPool(18, "LpPool", PoolKind.Lp2, [2, 2], [1, 1], [0, 0, 0, 0], [2, 2], false, Ints("dilations", 2, 2), Int("p", 2));
        AssertPool(11, "LpPool", PoolKind.Lp2, [2, 3], [1, 1], [0, 1, 0, 1], [1, 1], false, Ints("pads", 0, 1, 0, 1));
    }

    [Theory]
    [InlineData("GlobalAveragePool", PoolKind.Average)]
    [InlineData("GlobalMaxPool", PoolKind.Max)]
    [InlineData("GlobalLpPool", PoolKind.Lp2)]
    public void Global_pools_reduce_every_spatial_position(string op, PoolKind kind)
    {
        (float[] y, int[] shape) = new OnnxOpTestModel(13).Input("x", 2, 3, 5, 6).Op(op).Output("y").Run(s_x);
        (float[] expected, _, _) = NaiveNchw.Pool2D(s_x, 2, 3, 5, 6, kind, [5, 6], [1, 1], [0, 0, 0, 0], [1, 1], false);
        Assert.Equal([2, 3, 1, 1], shape);
        AssertClose(expected, y, 1e-4f);
    }

    [Fact]
    public void MaxPool_1d_runs_channels_last()
    {
        // x [1, 2, 4]: windows of 2, stride 2
        float[] x = [1, 5, 2, 0, -1, -3, 4, 4];
        (float[] y, int[] shape) = new OnnxOpTestModel(13).Input("x", 1, 2, 4).Op("MaxPool", Ints("kernel_shape", 2), Ints("strides", 2)).Output("y").Run(x);
        Assert.Equal([1, 2, 2], shape);
        Assert.Equal([5f, 2, -1, 4], y);
    }

    [Fact]
    public void Refuses_storage_order_indices_and_attributes_newer_than_the_opset()
    {
        AssertRefused(new OnnxOpTestModel(12).Input("x", 1, 1, 4, 4).Op("MaxPool", Ints("kernel_shape", 2, 2), Int("storage_order", 1)), "storage_order");
        AssertRefused(new OnnxOpTestModel(12).Input("x", 1, 1, 4, 4).Node("MaxPool", ["x"], ["y", "idx"], Ints("kernel_shape", 2, 2)), "Indices");
        AssertRefused(new OnnxOpTestModel(9).Input("x", 1, 1, 4, 4).Op("MaxPool", Ints("kernel_shape", 2, 2), Int("ceil_mode", 1)), "ceil_mode");
        AssertRefused(new OnnxOpTestModel(18).Input("x", 1, 1, 4, 4).Op("AveragePool", Ints("kernel_shape", 2, 2), Ints("dilations", 2, 2)), "dilations");
    }

    internal static void AssertRefused(OnnxOpTestModel model, string mentions)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => model.Output("y").Convert());
        Assert.NotNull(e.Node);
        Assert.Contains(mentions, e.Message, StringComparison.Ordinal);
        Assert.Contains("opset", e.Message, StringComparison.Ordinal);
    }
}
