using System.Globalization;
using EdgeCnn.Vision.Capture;
using EdgeCnn.Vision.Frames;
using EdgeCnn.Vision.Imaging;
using EdgeCnn.Vision.Preprocessing;
using EdgeCnn.Vision.Tests.Frames;

namespace EdgeCnn.Vision.Tests.Preprocessing;

/// <summary>
/// The fused pass against its spec: the scalar pixel-format conversion (PixelConversionReference) followed by the scalar
/// PreprocessReference, for every camera format, resize method, crop, channel order, layout and output type, shrinking and
/// enlarging, with odd sizes and padded strides. fp32 within 1e-4 * max(1, |ref|); int8 within 1 (README's contract).
/// </summary>
public class FusedPreprocessorTests
{
    public static TheoryData<PixelFormat, ResizeMethod, CropMode, ColorOrder, TensorLayout, int, int> Cases()
    {
        var data = new TheoryData<PixelFormat, ResizeMethod, CropMode, ColorOrder, TensorLayout, int, int>();
        (int W, int H)[] outputs = [(28, 28), (17, 13), (96, 80), (1, 1)];
        int k = 0;
        foreach (PixelFormat f in TestFrames.Uncompressed)
        {
            foreach (ResizeMethod r in Enum.GetValues<ResizeMethod>())
            {
                foreach (CropMode c in Enum.GetValues<CropMode>())
                {
                    foreach (ColorOrder color in Enum.GetValues<ColorOrder>())
                    {
                        (int w, int h) = outputs[k % outputs.Length];
                        data.Add(f, r, c, color, k % 2 == 0 ? TensorLayout.Nhwc : TensorLayout.Nchw, w, h);
                        k++;
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fp32_and_int8_match_conversion_then_the_reference(PixelFormat pixelFormat, ResizeMethod resize, CropMode crop, ColorOrder color, TensorLayout layout, int outW, int outH)
    {
        const int width = 66, height = 50; // 66 = 4 * 16 + 2: vector bodies and tails in every row
        var format = new FrameFormat(pixelFormat, width, height, FrameFormat.PackedRowBytes(pixelFormat, width) + 10);
        byte[] frame = TestFrames.Random(format, seed: (int)pixelFormat ^ outW);
        int channels = color == ColorOrder.Grey ? 1 : 3;
        float[] mean = channels == 1 ? [0.45f] : [0.485f, 0.456f, 0.406f];
        float[] std = channels == 1 ? [0.25f] : [0.229f, 0.224f, 0.225f];
        var spec = new PreprocessSpec(1f / 255f, mean, std, color, resize, crop, layout);
        int[] shape = layout == TensorLayout.Nchw ? [1, channels, outH, outW] : [1, outH, outW, channels];
        string what = string.Create(CultureInfo.InvariantCulture, $"{format} -> {outW}x{outH} {color} {layout} {resize} crop {crop}");
        Compare(frame, format, ReferenceImage(frame, format), spec, shape, what);
    }

    [Theory]
    [InlineData(28, 28, 28, 28)] // the Fashion-MNIST camera path: same size, one tap per axis
    [InlineData(14, 10, 28, 20)] // 2x upscale: half the taps have weight 0
    [InlineData(28, 20, 28, 40)] // one axis same size, the other grows
    public void Same_size_and_growing_axes_match_the_reference_with_zero_weight_taps_left_out(int inW, int inH, int outW, int outH)
    {
        var format = new FrameFormat(PixelFormat.Rgb24, inW, inH, (inW * 3) + 5);
        byte[] frame = TestFrames.Random(format, seed: inW + outH);
        foreach (ResizeMethod resize in new[] { ResizeMethod.Bilinear, ResizeMethod.Area })
        {
            var spec = new PreprocessSpec(1f / 255f, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], ColorOrder.Rgb, resize, CropMode.None, TensorLayout.Nhwc);
            Compare(frame, format, ReferenceImage(frame, format), spec, [1, outH, outW, 3], $"{inW}x{inH} -> {outW}x{outH} {resize}");
        }

        Assert.Equal(1, ResampleTable.Create(28, 28, ResizeMethod.Bilinear).MaxTaps);
        ResampleTable up = ResampleTable.Create(14, 28, ResizeMethod.Bilinear);
        Assert.All(Enumerable.Range(0, up.Length), o => Assert.All(up.Weights.AsSpan(up.WeightOffset[o], up.Count[o]).ToArray(), w => Assert.NotEqual(0f, w)));
    }

    [Fact]
    public void Mjpeg_frames_are_decoded_by_libturbojpeg_then_preprocessed_like_rgb()
    {
        Assert.True(TurboJpeg.IsAvailable, "libturbojpeg is not installed: " + TurboJpeg.Package + " (tests/run installs it)");
        using TurboJpeg jpeg = TurboJpeg.Open();
        var rgbFormat = new FrameFormat(PixelFormat.Rgb24, 64, 48);
        byte[] rgb = Gradient(64, 48);
        byte[] file = jpeg.Encode(rgb, 64, 48, 3, quality: 90);
        var format = new FrameFormat(PixelFormat.Mjpeg, 64, 48, 0, file.Length + 1000);
        var decoded = new byte[64 * 48 * 3];
        jpeg.Decode(file, decoded, 64, 48, 3);
        Assert.True(MaxDiff(rgb, decoded) < 12, "a quality-90 JPEG of a smooth gradient decodes close to the original");
        var spec = new PreprocessSpec(1f / 255f, [0.5f], [0.5f], ColorOrder.Rgb, ResizeMethod.Area, CropMode.Center, TensorLayout.Nchw);
        Compare(file, format, new ImageViewData(64, 48, 3, decoded), spec, [1, 3, 24, 24], "MJPEG 64x48 -> 24x24");
        _ = rgbFormat;
    }

    [Fact]
    public void A_frame_of_another_size_or_a_wrong_tensor_is_a_clear_error()
    {
        var format = new FrameFormat(PixelFormat.Yuyv, 64, 48);
        var spec = new PreprocessSpec(resize: ResizeMethod.Bilinear);
        PreprocessPlan plan = PreprocessPlanner.Create(spec, spec.Resolve([1, 3, 8, 8]), format);
        using var fused = new FusedPreprocessor(format, plan);
        Assert.Contains("needs 6144 bytes", Assert.Throws<ArgumentException>(() => fused.Run(new byte[100], new float[192])).Message, StringComparison.Ordinal);
        Assert.Contains("holds 10 values", Assert.Throws<ArgumentException>(() => fused.Run(new byte[6144], new float[10])).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => fused.Run(new byte[6144], new sbyte[192]));
    }

    [Fact]
    public void Steady_state_runs_allocate_nothing()
    {
        var format = new FrameFormat(PixelFormat.Nv12, 640, 480);
        var spec = new PreprocessSpec(1f / 255f, resize: ResizeMethod.Area, crop: CropMode.Center);
        PreprocessPlan plan = PreprocessPlanner.Create(spec, spec.Resolve([1, 3, 224, 224]), format);
        using var fused = new FusedPreprocessor(format, plan);
        byte[] frame = TestFrames.Random(format, 1);
        var input = new float[plan.OutputElements];
        fused.Run(frame, input);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            fused.Run(frame, input);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Compare(byte[] frame, FrameFormat format, ImageViewData reference, PreprocessSpec spec, int[] shape, string what)
    {
        PreprocessTarget target = spec.Resolve(shape);
        var expected = new float[target.ElementCount];
        PreprocessReference.Apply(reference.View, spec, shape, expected);
        using var fused = new FusedPreprocessor(format, PreprocessPlanner.Create(spec, target, format));
        var actual = new float[target.ElementCount];
        fused.Run(frame, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            float tolerance = 1e-4f * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance, $"{what}: fp32 element {i}: fused {actual[i]}, reference {expected[i]}");
        }

        // int8 with a scale that puts many values near rounding boundaries
        const float scale = 0.0173f;
        const int zeroPoint = -7;
        var expectedQ = new sbyte[target.ElementCount];
        PreprocessReference.ApplyQuantized(reference.View, spec, shape, scale, zeroPoint, expectedQ);
        using var fusedQ = new FusedPreprocessor(format, PreprocessPlanner.Create(spec, target, format, int8: true, scale, zeroPoint));
        var actualQ = new sbyte[target.ElementCount];
        fusedQ.Run(frame, actualQ);
        for (int i = 0; i < expectedQ.Length; i++)
        {
            Assert.True(Math.Abs(actualQ[i] - expectedQ[i]) <= 1, $"{what}: int8 element {i}: fused {actualQ[i]}, reference {expectedQ[i]}");
        }
    }

    private static ImageViewData ReferenceImage(byte[] frame, FrameFormat format)
    {
        int channels = format.Channels;
        var converted = new byte[format.Width * format.Height * channels];
        PixelConversionReference.Convert(frame, format, converted);
        return new ImageViewData(format.Width, format.Height, channels, converted);
    }

    private static byte[] Gradient(int w, int h)
    {
        var p = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                p[((y * w) + x) * 3] = (byte)(x * 4);
                p[(((y * w) + x) * 3) + 1] = (byte)(y * 5);
                p[(((y * w) + x) * 3) + 2] = (byte)(128 + x - y);
            }
        }

        return p;
    }

    private static int MaxDiff(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private sealed class ImageViewData(int width, int height, int channels, byte[] pixels)
    {
        public ImageView View => new(width, height, channels, width * channels, pixels);
    }
}
