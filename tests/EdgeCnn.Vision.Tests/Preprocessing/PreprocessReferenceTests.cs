using System.Globalization;
using System.Text.Json;
using EdgeCnn.Runtime.Quantization;
using EdgeCnn.Vision.Imaging;
using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Vision.Tests.Preprocessing;

public class PreprocessReferenceTests
{
    private static float[] Run(byte[] pixels, int w, int h, int channels, PreprocessSpec spec, int[] shape)
    {
        var dst = new float[shape.Aggregate(1, (a, b) => a * b)];
        PreprocessReference.Apply(new ImageView(w, h, channels, w * channels, pixels), spec, shape, dst);
        return dst;
    }

    [Fact]
    public void Bilinear_upscale_by_two_uses_half_pixel_centres_and_clamps_edges() =>
        Assert.Equal([0f, 25f, 75f, 100f], Run([0, 100], 2, 1, 1, PreprocessSpec.Identity, [1, 4]));

    [Fact]
    public void Bilinear_downscale_by_two_averages_pairs() =>
        Assert.Equal([5f, 25f], Run([0, 10, 20, 30], 4, 1, 1, PreprocessSpec.Identity, [1, 2]));

    [Fact]
    public void Area_weights_partial_pixels_by_their_overlap()
    {
        // 3 -> 2: output 0 covers [0, 1.5): (0 + 0.5 * 30) / 1.5 = 10; output 1 covers [1.5, 3): (0.5 * 30 + 60) / 1.5 = 50.
        float[] x = Run([0, 30, 60], 3, 1, 1, PreprocessSpec.Identity.WithResize(ResizeMethod.Area), [1, 2]);
        Assert.Equal(10f, x[0], 5);
        Assert.Equal(50f, x[1], 5);
    }

    [Fact]
    public void Area_on_an_axis_that_grows_is_bilinear_on_that_axis()
    {
        // 2x2 -> 4x1: rows average (area), columns interpolate (bilinear): (0 + 100)/2 = 50 and (20 + 120)/2 = 70 per column.
        float[] x = Run([0, 20, 100, 120], 2, 2, 1, PreprocessSpec.Identity.WithResize(ResizeMethod.Area), [1, 4]);
        Assert.Equal([50f, 55f, 65f, 70f], x);
    }

    [Fact]
    public void Nearest_takes_floor_of_the_scaled_pixel_centre() =>
        Assert.Equal([1f, 3f], Run([0, 1, 2, 3, 4], 5, 1, 1, PreprocessSpec.Identity.WithResize(ResizeMethod.Nearest), [1, 2]));

    [Fact]
    public void Center_crop_keeps_the_middle_at_the_inputs_aspect_ratio()
    {
        // An 8x1 source for a 2x1 input (aspect 2:1) keeps 2 columns from x = 3.
        Assert.Equal(new CropRegion(3, 0, 2, 1), CropRegion.Of(8, 1, CropMode.Center, 2, 1));
        Assert.Equal(new CropRegion(2, 0, 4, 4), CropRegion.Of(8, 4, CropMode.Center, 2, 2));
        Assert.Equal(new CropRegion(0, 1, 3, 2), CropRegion.Of(3, 5, CropMode.Center, 3, 2));
        Assert.Equal(new CropRegion(0, 0, 7, 5), CropRegion.Of(7, 5, CropMode.None, 2, 2));
        Assert.Equal(new CropRegion(0, 0, 6, 4), CropRegion.Of(6, 4, CropMode.Center, 3, 2));
        Assert.Equal(new CropRegion(1, 0, 1, 1), CropRegion.Of(3, 1, CropMode.Center, 1, 100)); // at least one pixel
        Assert.Equal(new CropRegion(1, 0, 3, 2), CropRegion.Of(5, 2, CropMode.Center, 3, 2)); // 2 * 3 / 2 = 3 wide, x = 1
        Assert.Equal(new CropRegion(2, 0, 5, 3), CropRegion.Of(9, 3, CropMode.Center, 5, 3));
        Assert.Equal(new CropRegion(0, 1, 5, 2), CropRegion.Of(5, 4, CropMode.Center, 7, 3)); // 5 * 3 / 7 = 2.14 -> 2 rows

        byte[] row = [0, 10, 20, 30, 40, 50, 60, 70];
        Assert.Equal([30f, 40f], Run(row, 8, 1, 1, PreprocessSpec.Identity.WithCrop(CropMode.Center).WithResize(ResizeMethod.Nearest), [1, 1, 2]));
    }

    [Fact]
    public void Colour_conversion_is_BT601_replication_or_a_swap()
    {
        byte[] rgb = [10, 20, 30];
        Assert.Equal([(0.299f * 10) + (0.587f * 20) + (0.114f * 30)], Run(rgb, 1, 1, 3, PreprocessSpec.Identity, [1, 1, 1, 1]));
        Assert.Equal([10f, 20f, 30f], Run(rgb, 1, 1, 3, PreprocessSpec.Identity, [1, 3, 1, 1]));
        Assert.Equal([30f, 20f, 10f], Run(rgb, 1, 1, 3, PreprocessSpec.Identity.WithColor(ColorOrder.Bgr), [1, 3, 1, 1]));
        Assert.Equal([7f, 7f, 7f], Run([7], 1, 1, 1, PreprocessSpec.Identity.WithColor(ColorOrder.Bgr), [1, 3, 1, 1]));
    }

    [Fact]
    public void Normalization_is_scale_then_mean_then_std_per_channel_in_the_inputs_layout()
    {
        // 2x1 RGB, per-channel mean/std; NCHW planes vs NHWC pixels.
        byte[] rgb = [10, 20, 30, 40, 50, 60];
        var spec = new PreprocessSpec(0.5f, [1, 2, 3], [2, 4, 8]);
        float N(float v, int c) => ((v * 0.5f) - (c + 1)) / (2 << c);
        Assert.Equal([N(10, 0), N(40, 0), N(20, 1), N(50, 1), N(30, 2), N(60, 2)], Run(rgb, 2, 1, 3, spec, [1, 3, 1, 2]));
        Assert.Equal([N(10, 0), N(20, 1), N(30, 2), N(40, 0), N(50, 1), N(60, 2)], Run(rgb, 2, 1, 3, spec.WithLayout(TensorLayout.Nhwc), [1, 1, 2, 3]));
    }

    [Fact]
    public void Same_size_and_no_crop_gives_the_pixels_exactly()
    {
        var rng = new Random(3);
        var pixels = new byte[11 * 7 * 3];
        rng.NextBytes(pixels);
        foreach (ResizeMethod m in Enum.GetValues<ResizeMethod>())
        {
            float[] x = Run(pixels, 11, 7, 3, PreprocessSpec.Identity.WithResize(m).WithLayout(TensorLayout.Nhwc), [1, 7, 11, 3]);
            Assert.Equal(pixels.Select(p => (float)p), x);
        }
    }

    [Fact]
    public void ApplyGrey_agrees_with_the_reference_on_a_same_size_grey_image()
    {
        var pixels = Enumerable.Range(0, 28 * 28).Select(i => (byte)(i * 7)).ToArray();
        var spec = new PreprocessSpec(1f / 255f, [0.1307f], [0.3081f]);
        var fast = new float[pixels.Length];
        spec.ApplyGrey(pixels, fast);
        float[] reference = Run(pixels, 28, 28, 1, spec, [1, 1, 28, 28]);
        for (int i = 0; i < fast.Length; i++)
        {
            Assert.True(Math.Abs(fast[i] - reference[i]) <= 1e-5f, $"pixel {i}: ApplyGrey {fast[i]}, reference {reference[i]}");
        }
    }

    public static TheoryData<int> TorchCases() => [.. Enumerable.Range(0, TorchFixture.Cases.Count)];

    [Theory]
    [MemberData(nameof(TorchCases))]
    public void Resize_matches_torch_interpolate(int index)
    {
        TorchFixture.Case c = TorchFixture.Cases[index];
        int w = c.CropWidth ?? TorchFixture.Width, h = c.CropHeight ?? TorchFixture.Height;
        // A sub-view of the fixture image through its stride (crop_width x crop_height at the top left).
        var view = new ImageView(w, h, 3, TorchFixture.Width * 3, TorchFixture.Pixels);
        var dst = new float[3 * c.Height * c.Width];
        PreprocessReference.Apply(view, PreprocessSpec.Identity.WithResize(c.Resize), [1, 3, c.Height, c.Width], dst);
        for (int i = 0; i < dst.Length; i++)
        {
            Assert.True(Math.Abs(dst[i] - c.Nchw[i]) <= 1e-4 * Math.Max(1, Math.Abs(c.Nchw[i])),
                $"{c.Resize} {w}x{h} -> {c.Width}x{c.Height}: element {i} (c {i / (c.Width * c.Height)}, y {i / c.Width % c.Height}, x {i % c.Width}) is {dst[i]}, torch {c.Nchw[i]}");
        }
    }

    [Fact]
    public void Random_cases_match_an_independent_double_precision_formulation()
    {
        var rng = new Random(20261121);
        for (int n = 0; n < 400; n++)
        {
            int w = rng.Next(1, 40), h = rng.Next(1, 40), srcChannels = rng.Next(2) == 0 ? 1 : 3, pad = rng.Next(3);
            int outW = rng.Next(1, 30), outH = rng.Next(1, 30), c = rng.Next(2) == 0 ? 1 : 3;
            var layout = (TensorLayout)rng.Next(2);
            ColorOrder color = c == 1 ? ColorOrder.Grey : rng.Next(2) == 0 ? ColorOrder.Rgb : ColorOrder.Bgr;
            float[] mean = c == 3 && rng.Next(2) == 0 ? [0.485f, 0.456f, 0.406f] : [0.5f];
            float[] std = c == 3 && rng.Next(2) == 0 ? [0.229f, 0.224f, 0.225f] : [0.25f];
            var spec = new PreprocessSpec(1f / 255f, mean, std, color, (ResizeMethod)rng.Next(3), (CropMode)rng.Next(2), layout);
            int stride = (w * srcChannels) + pad;
            var pixels = new byte[stride * h];
            rng.NextBytes(pixels);
            int[] shape = layout == TensorLayout.Nchw ? [1, c, outH, outW] : [1, outH, outW, c];
            var dst = new float[c * outH * outW];
            PreprocessReference.Apply(new ImageView(w, h, srcChannels, stride, pixels), spec, shape, dst);
            double[,,] expected = NaivePreprocess.Run(pixels, w, h, srcChannels, stride, spec, c, outH, outW, color);
            var target = new PreprocessTarget(layout, c, outH, outW, color);
            for (int m = 0; m < c; m++)
            {
                for (int y = 0; y < outH; y++)
                {
                    for (int x = 0; x < outW; x++)
                    {
                        float got = dst[target.IndexOf(m, y, x)];
                        Assert.True(Math.Abs(got - expected[m, y, x]) <= 2e-5 * Math.Max(1, Math.Abs(expected[m, y, x])),
                            $"case {n}: {w}x{h}x{srcChannels} stride {stride} -> {shape.Length}D [{string.Join(",", shape)}] {spec}: " +
                            $"(c {m}, y {y}, x {x}) is {got.ToString("R", CultureInfo.InvariantCulture)}, expected {expected[m, y, x].ToString("R", CultureInfo.InvariantCulture)}");
                    }
                }
            }
        }
    }

    [Fact]
    public void ApplyQuantized_is_the_fp32_result_quantized()
    {
        var rng = new Random(5);
        var pixels = new byte[23 * 17 * 3];
        rng.NextBytes(pixels);
        var view = new ImageView(23, 17, 3, 23 * 3, pixels);
        var spec = new PreprocessSpec(1f / 255f, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], resize: ResizeMethod.Area, crop: CropMode.Center);
        int[] shape = [1, 3, 9, 12];
        var f = new float[3 * 9 * 12];
        var q = new sbyte[f.Length];
        PreprocessReference.Apply(view, spec, shape, f);
        foreach ((float scale, int zp) in new[] { (0.0187f, -14), (0.01f, 127), (0.05f, -128), (1f, 0) })
        {
            PreprocessReference.ApplyQuantized(view, spec, shape, scale, zp, q);
            for (int i = 0; i < f.Length; i++)
            {
                Assert.Equal(QuantMath.QuantizeToInt8(f[i], scale, zp), q[i]);
            }
        }
    }

    [Fact]
    public void QuantizeToInt8_equals_the_runtimes()
    {
        float[] values = [0f, -0f, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 127.4f, 127.5f, 128f, -128.5f, -129f, 1e30f, -1e30f,
            float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, 3.999999f];
        var rng = new Random(11);
        foreach (float x in values.Concat(Enumerable.Range(0, 2000).Select(_ => (float)((rng.NextDouble() - 0.5) * 600))))
        {
            foreach ((float scale, int zp) in new[] { (1f, 0), (0.5f, -3), (0.1f, 127), (2f, -128), (0.0078125f, 5) })
            {
                Assert.Equal(QuantMath.QuantizeToInt8(x, scale, zp), PreprocessReference.QuantizeToInt8(x, scale, zp));
            }
        }
    }

    [Fact]
    public void Apply_and_ApplyQuantized_allocate_nothing()
    {
        var pixels = new byte[64 * 48 * 3];
        new Random(1).NextBytes(pixels);
        var spec = new PreprocessSpec(1f / 255f, [0.5f], [0.25f], resize: ResizeMethod.Area, crop: CropMode.Center);
        var f = new float[3 * 20 * 20];
        var q = new sbyte[f.Length];
        int[] shape = [1, 20, 20, 3];
        AllocationAssert.NoAllocations(() => PreprocessReference.Apply(new ImageView(64, 48, 3, 64 * 3, pixels), spec, shape, f), 3, "Apply");
        AllocationAssert.NoAllocations(
            () => PreprocessReference.ApplyQuantized(new ImageView(64, 48, 3, 64 * 3, pixels), spec, shape, 0.02f, 3, q), 3, "ApplyQuantized");
    }

    [Fact]
    public void Misuse_is_refused_with_what_was_wrong()
    {
        static ImageView View() => new(2, 2, 1, 2, new byte[4]);
        Assert.Contains("dst has 3 elements; the model input (Nchw, 1x2x2) has 4",
            Assert.Throws<ArgumentException>(() => PreprocessReference.Apply(View(), PreprocessSpec.Identity, [1, 1, 2, 2], new float[3])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PreprocessReference.ApplyQuantized(View(), PreprocessSpec.Identity, [2, 2], 0f, 0, new sbyte[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PreprocessReference.ApplyQuantized(View(), PreprocessSpec.Identity, [2, 2], 1f, 128, new sbyte[4]));
        Assert.Contains("batch must be 1",
            Assert.Throws<ArgumentException>(() => PreprocessReference.Apply(View(), PreprocessSpec.Identity, [2, 1, 2, 2], new float[8])).Message, StringComparison.Ordinal);
    }

    private static class TorchFixture
    {
        private static readonly JsonDocument Doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Preprocessing", "Fixtures", "resize_torch.json")));

        public static int Width => Doc.RootElement.GetProperty("width").GetInt32();

        public static int Height => Doc.RootElement.GetProperty("height").GetInt32();

        public static byte[] Pixels { get; } = [.. Doc.RootElement.GetProperty("pixels").EnumerateArray().Select(v => (byte)v.GetInt32())];

        public static IReadOnlyList<Case> Cases { get; } = [.. Doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            Enum.Parse<ResizeMethod>(c.GetProperty("resize").GetString()!, ignoreCase: true),
            c.GetProperty("width").GetInt32(),
            c.GetProperty("height").GetInt32(),
            c.TryGetProperty("crop_width", out JsonElement cw) ? cw.GetInt32() : null,
            c.TryGetProperty("crop_height", out JsonElement ch) ? ch.GetInt32() : null,
            [.. c.GetProperty("nchw").EnumerateArray().Select(v => v.GetDouble())]))];

        internal sealed record Case(ResizeMethod Resize, int Width, int Height, int? CropWidth, int? CropHeight, double[] Nchw);
    }
}
