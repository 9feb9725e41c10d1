using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

public class ShapeResizeTests
{
    // NHWC [1, 2, 2, 1] = [[1, 2], [3, 4]], i.e. f(r, c) = 1 + 2r + c on the input grid. Bilinear interpolation of a bilinear
    // function is exact, so a linear resize gives out(i, j) = 1 + 2 R(i) + C(j), with R, C the clamped source coordinates.
    private static readonly float[] s_x = [1, 2, 3, 4];

    private static float[] RunResize(int[] inShape, float[] x, int[] sizes, ResizeMode mode, ResizeCoordinateMode coord,
        ResizeNearestMode nearest = ResizeNearestMode.RoundPreferFloor, float[]? scales = null)
    {
        var b = new ModelBuilder();
        TensorRef y = b.Resize(b.Input("x", DataType.Float32, inShape), sizes, mode, coord, nearest, scales);
        b.Output(y);
        Assert.Equal(sizes, b.Shape(y));
        return Run.Float(b, x);
    }

    private static float[] Grid(float[] r, float[] c) => r.SelectMany(ri => c.Select(cj => 1 + (2 * ri) + cj)).ToArray();

    [Fact]
    public void Bilinear_half_pixel_2x2_to_4x4()
    {
        // (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped 0, 0.25, 0.75, 1.
        float[] expected = [1, 1.25f, 1.75f, 2, /**/ 1.5f, 1.75f, 2.25f, 2.5f, /**/ 2.5f, 2.75f, 3.25f, 3.5f, /**/ 3, 3.25f, 3.75f, 4];
        Assert.Equal(expected, Grid([0, 0.25f, 0.75f, 1], [0, 0.25f, 0.75f, 1])); // the formula agrees with the written table
        Tolerance.AllClose(expected, RunResize([1, 2, 2, 1], s_x, [1, 4, 4, 1], ResizeMode.Linear, ResizeCoordinateMode.HalfPixel), "half_pixel");
    }

    [Fact]
    public void Bilinear_align_corners_2x2_to_4x4()
    {
        // x * (2 - 1) / (4 - 1) = 0, 1/3, 2/3, 1.
        float[] expected = [1, 4 / 3f, 5 / 3f, 2, /**/ 5 / 3f, 2, 7 / 3f, 8 / 3f, /**/ 7 / 3f, 8 / 3f, 3, 10 / 3f, /**/ 3, 10 / 3f, 11 / 3f, 4];
        Tolerance.AllClose(expected, RunResize([1, 2, 2, 1], s_x, [1, 4, 4, 1], ResizeMode.Linear, ResizeCoordinateMode.AlignCorners), "align_corners");
    }

    [Fact]
    public void Bilinear_asymmetric_2x2_to_4x4()
    {
        // x / 2 = 0, 0.5, 1, 1.5 -> clamped 0, 0.5, 1, 1.
        float[] expected = [1, 1.5f, 2, 2, /**/ 2, 2.5f, 3, 3, /**/ 3, 3.5f, 4, 4, /**/ 3, 3.5f, 4, 4];
        Tolerance.AllClose(expected, RunResize([1, 2, 2, 1], s_x, [1, 4, 4, 1], ResizeMode.Linear, ResizeCoordinateMode.Asymmetric), "asymmetric");
    }

    [Fact]
    public void Pytorch_half_pixel_maps_a_size_1_axis_to_coordinate_0()
    {
        // H 2 -> 1: pytorch_half_pixel uses R = 0 (row [1, 2] interpolated), half_pixel uses (0.5 / 0.5) - 0.5 = 0.5.
        Tolerance.AllClose([1, 1.25f, 1.75f, 2],
            RunResize([1, 2, 2, 1], s_x, [1, 1, 4, 1], ResizeMode.Linear, ResizeCoordinateMode.PytorchHalfPixel), "pytorch_half_pixel");
        Tolerance.AllClose([2, 2.25f, 2.75f, 3],
            RunResize([1, 2, 2, 1], s_x, [1, 1, 4, 1], ResizeMode.Linear, ResizeCoordinateMode.HalfPixel), "half_pixel 2->1");
    }

    [Fact]
    public void Linear_uses_given_scales_in_the_coordinate_transform()
    {
        // [10, 20, 30, 40] -> 4 with scale 2, asymmetric: x / 2 = 0, 0.5, 1, 1.5.
        Tolerance.AllClose([10, 15, 20, 25],
            RunResize([1, 4], [10, 20, 30, 40], [1, 4], ResizeMode.Linear, ResizeCoordinateMode.Asymmetric, scales: [1, 2]), "scales");
    }

    [Fact]
    public void Nearest_half_pixel_doubles_pixels()
    {
        // ceil(c - 0.5) of c = -0.25, 0.25, 0.75, 1.25 -> 0, 0, 1, 1.
        Assert.Equal([1f, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4],
            RunResize([1, 2, 2, 1], s_x, [1, 4, 4, 1], ResizeMode.Nearest, ResizeCoordinateMode.HalfPixel));
    }

    [Theory]
    // 4 -> 8 asymmetric: c = x / 2 = 0, .5, 1, 1.5, 2, 2.5, 3, 3.5 (every other one a tie).
    [InlineData(ResizeNearestMode.RoundPreferFloor, 8, new float[] { 10, 10, 20, 20, 30, 30, 40, 40 })]
    [InlineData(ResizeNearestMode.RoundPreferCeil, 8, new float[] { 10, 20, 20, 30, 30, 40, 40, 40 })] // 3.5 -> 4 clamps to 3
    [InlineData(ResizeNearestMode.Floor, 8, new float[] { 10, 10, 20, 20, 30, 30, 40, 40 })]
    [InlineData(ResizeNearestMode.Ceil, 8, new float[] { 10, 20, 20, 30, 30, 40, 40, 40 })]
    // 4 -> 3 asymmetric: c = x / 0.75 = 0, 1.333, 2.667 (no ties).
    [InlineData(ResizeNearestMode.RoundPreferFloor, 3, new float[] { 10, 20, 40 })]
    [InlineData(ResizeNearestMode.RoundPreferCeil, 3, new float[] { 10, 20, 40 })]
    [InlineData(ResizeNearestMode.Floor, 3, new float[] { 10, 20, 30 })]
    [InlineData(ResizeNearestMode.Ceil, 3, new float[] { 10, 30, 40 })]
    public void Nearest_modes_asymmetric(ResizeNearestMode nearest, int size, float[] expected)
    {
        Assert.Equal(expected, RunResize([1, 4], [10, 20, 30, 40], [1, size], ResizeMode.Nearest, ResizeCoordinateMode.Asymmetric, nearest));
    }

    [Fact]
    public void Nearest_align_corners_and_pytorch_half_pixel()
    {
        // align_corners 4 -> 3: x * 3 / 2 = 0, 1.5, 3 -> round_prefer_floor 0, 1, 3.
        Assert.Equal([10f, 20, 40], RunResize([1, 4], [10, 20, 30, 40], [1, 3], ResizeMode.Nearest, ResizeCoordinateMode.AlignCorners));
        // pytorch_half_pixel 4 -> 2: (x + 0.5) * 2 - 0.5 = 0.5, 2.5 -> round_prefer_ceil 1, 3.
        Assert.Equal([20f, 40], RunResize([1, 4], [10, 20, 30, 40], [1, 2], ResizeMode.Nearest, ResizeCoordinateMode.PytorchHalfPixel,
            ResizeNearestMode.RoundPreferCeil));
    }

    [Fact]
    public void Int8_nearest_copies_values_and_keeps_quantization()
    {
        QuantizationInfo q = QuantizationInfo.PerTensor(0.5f, 1);
        var b = new ModelBuilder();
        TensorRef y = b.Resize(b.Input("x", DataType.Int8, [1, 2, 2, 1], q), [1, 4, 4, 1]);
        b.Output(y);
        Assert.Same(q, b.Desc(y).Quantization);
        Tolerance.Equal([-128, -128, 7, 7, -128, -128, 7, 7, 0, 0, 127, 127, 0, 0, 127, 127], Run.Int8(b, [-128, 7, 0, 127]), "s8 nearest");
    }

    [Fact]
    public void Int8_bilinear_goes_through_fp32_into_the_output_quantization()
    {
        // in: scale 0.5, zp 0, q [2, 4, 6, 8] = real [1, 2, 3, 4]; out: scale 0.25, zp -10 -> q = 4 * real - 10 on the
        // half_pixel table of Bilinear_half_pixel_2x2_to_4x4 (all exact).
        var b = new ModelBuilder();
        b.Output(b.Resize(b.Input("x", DataType.Int8, [1, 2, 2, 1], QuantizationInfo.PerTensor(0.5f, 0)), [1, 4, 4, 1], ResizeMode.Linear,
            outputQuantization: QuantizationInfo.PerTensor(0.25f, -10)));
        Tolerance.Equal([-6, -5, -3, -2, -4, -3, -1, 0, 0, 1, 3, 4, 2, 3, 5, 6], Run.Int8(b, [2, 4, 6, 8]), "s8 bilinear");
    }

    [Fact]
    public void Int8_linear_rounds_half_to_even_and_saturates()
    {
        // [0, 1] (scale 1, zp 0) -> 4, asymmetric: x / 2 = 0, .5, 1, 1.5 (clamped to 1) -> reals 0, 0.5, 1, 1;
        // out scale 1, zp 0: round_half_even(0.5) = 0.
        var b = new ModelBuilder();
        b.Output(b.Resize(b.Input("x", DataType.Int8, [1, 2], QuantizationInfo.PerTensor(1f, 0)), [1, 4], ResizeMode.Linear,
            ResizeCoordinateMode.Asymmetric, outputQuantization: QuantizationInfo.PerTensor(1f, 0)));
        Tolerance.Equal([0, 0, 1, 1], Run.Int8(b, [0, 1]), "s8 linear half-even");
        // [100, 127] at scale 1 into scale 0.5: 200 and 254 saturate to 127.
        b = new ModelBuilder();
        b.Output(b.Resize(b.Input("x", DataType.Int8, [1, 2], QuantizationInfo.PerTensor(1f, 0)), [1, 2], ResizeMode.Linear,
            outputQuantization: QuantizationInfo.PerTensor(0.5f, 0)));
        Tolerance.Equal([127, 127], Run.Int8(b, [100, 127]), "s8 linear saturates");
    }
}
