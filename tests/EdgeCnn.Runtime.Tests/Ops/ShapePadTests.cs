using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

public class ShapePadTests
{
    // x = [[1, 2, 3], [4, 5, 6]]; pads = [1, 2, 0, 1]: one row before, two columns before, one column after -> [3, 6].
    private static readonly float[] s_x = [1, 2, 3, 4, 5, 6];
    private static readonly int[] s_pads = [1, 2, 0, 1];

    private static (int[] Shape, float[] Y) RunPad(int[] shape, float[] x, int[] pads, PadFill mode, float value = 0f)
    {
        var b = new ModelBuilder();
        TensorRef y = b.Pad(b.Input("x", DataType.Float32, shape), pads, mode, value);
        b.Output(y);
        return (b.Shape(y), Run.Float(b, x));
    }

    [Fact]
    public void Constant_2d_by_hand()
    {
        (int[] shape, float[] y) = RunPad([2, 3], s_x, s_pads, PadFill.Constant, 9f);
        Assert.Equal([3, 6], shape);
        Assert.Equal([9f, 9, 9, 9, 9, 9, /**/ 9, 9, 1, 2, 3, 9, /**/ 9, 9, 4, 5, 6, 9], y);
    }

    [Fact]
    public void Reflect_2d_by_hand()
    {
        // rows: src = o - 1 -> -1 reflects to 1: [r1, r0, r1]; cols: src = o - 2 -> -2, -1, 0, 1, 2, 3 reflect to 2, 1, 0, 1, 2, 1.
        (_, float[] y) = RunPad([2, 3], s_x, s_pads, PadFill.Reflect);
        Assert.Equal([6f, 5, 4, 5, 6, 5, /**/ 3, 2, 1, 2, 3, 2, /**/ 6, 5, 4, 5, 6, 5], y);
    }

    [Fact]
    public void Edge_2d_by_hand()
    {
        // rows: [r0, r0, r1]; cols clamp to 0, 0, 0, 1, 2, 2.
        (_, float[] y) = RunPad([2, 3], s_x, s_pads, PadFill.Edge);
        Assert.Equal([1f, 1, 1, 2, 3, 3, /**/ 1, 1, 1, 2, 3, 3, /**/ 4, 4, 4, 5, 6, 6], y);
    }

    // NHWC [1, 2, 2, 2]: pixel p(h, w) has channels (v, -v) with v = 1 + 2h + w. Pads one pixel on every side of H and W.
    private static readonly float[] s_image = [1, -1, 2, -2, 3, -3, 4, -4];
    private static readonly int[] s_hwPads = [0, 1, 1, 0, 0, 1, 1, 0];

    private static float[] Pixels(params int[] v) => v.SelectMany(p => new float[] { p, -p }).ToArray();

    [Fact]
    public void Constant_4d_nhwc_by_hand()
    {
        (int[] shape, float[] y) = RunPad([1, 2, 2, 2], s_image, s_hwPads, PadFill.Constant);
        Assert.Equal([1, 4, 4, 2], shape);
        Assert.Equal(Pixels(0, 0, 0, 0, /**/ 0, 1, 2, 0, /**/ 0, 3, 4, 0, /**/ 0, 0, 0, 0), y);
    }

    [Fact]
    public void Edge_4d_nhwc_by_hand()
    {
        // h, w = clamp(o - 1, 0, 1): rows 0, 0, 1, 1 and cols 0, 0, 1, 1.
        (_, float[] y) = RunPad([1, 2, 2, 2], s_image, s_hwPads, PadFill.Edge);
        Assert.Equal(Pixels(1, 1, 2, 2, /**/ 1, 1, 2, 2, /**/ 3, 3, 4, 4, /**/ 3, 3, 4, 4), y);
    }

    [Fact]
    public void Reflect_4d_nhwc_by_hand()
    {
        // o - 1 = -1, 0, 1, 2 reflects to 1, 0, 1, 0 on both H and W.
        (_, float[] y) = RunPad([1, 2, 2, 2], s_image, s_hwPads, PadFill.Reflect);
        Assert.Equal(Pixels(4, 3, 4, 3, /**/ 2, 1, 2, 1, /**/ 4, 3, 4, 3, /**/ 2, 1, 2, 1), y);
    }

    [Fact]
    public void Negative_pads_crop()
    {
        // cols: begin -1 drops column 0, end +1 adds one -> src 1, 2, 3(out of range).
        (int[] shape, float[] y) = RunPad([2, 3], s_x, [0, -1, 0, 1], PadFill.Constant);
        Assert.Equal([2, 3], shape);
        Assert.Equal([2f, 3, 0, 5, 6, 0], y);
        Assert.Equal([2f, 3, 3, 5, 6, 6], RunPad([2, 3], s_x, [0, -1, 0, 1], PadFill.Edge).Y);
        Assert.Equal([5f], RunPad([2, 3], s_x, [-1, -1, 0, -1], PadFill.Constant).Y); // drops row 0 and columns 0, 2: x[1, 1] = 5
    }

    [Fact]
    public void Int8_constant_pads_with_the_quantized_value()
    {
        // scale 0.5, zp 3: value 2.0 -> 2 / 0.5 + 3 = 7; value 0.25 -> round_half_even(0.5) = 0 -> 3.
        QuantizationInfo q = QuantizationInfo.PerTensor(0.5f, 3);
        foreach ((float value, sbyte fill) in new[] { (2f, (sbyte)7), (0.25f, (sbyte)3) })
        {
            var b = new ModelBuilder();
            TensorRef y = b.Pad(b.Input("x", DataType.Int8, [2, 3], q), [0, 1, 0, 0], PadFill.Constant, value);
            b.Output(y);
            Assert.Same(q, b.Desc(y).Quantization);
            Tolerance.Equal([fill, 1, 2, 3, fill, 4, 5, 6], Run.Int8(b, [1, 2, 3, 4, 5, 6]), $"s8 pad value {value}");
        }
    }

    [Fact]
    public void Int8_reflect_and_edge_move_values()
    {
        QuantizationInfo q = QuantizationInfo.PerTensor(0.5f, 3);
        sbyte[] x = [1, 2, 3, 4, 5, 6];
        var b = new ModelBuilder();
        b.Output(b.Pad(b.Input("x", DataType.Int8, [2, 3], q), s_pads, PadFill.Reflect));
        Tolerance.Equal([6, 5, 4, 5, 6, 5, 3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5], Run.Int8(b, x), "s8 pad reflect");
        b = new ModelBuilder();
        b.Output(b.Pad(b.Input("x", DataType.Int8, [2, 3], q), s_pads, PadFill.Edge));
        Tolerance.Equal([1, 1, 1, 2, 3, 3, 1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 6], Run.Int8(b, x), "s8 pad edge");
    }
}
