using System.Runtime.InteropServices;
using EdgeCnn.Vision.Imaging;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// The reference preprocessing: plain scalar loops, slow on purpose, the executable form of README.md in this folder. Fast
/// paths (the fused camera-frame pass) are tested against it: fp32 within tolerance, int8 within the rounding of the fp32
/// result. It allocates nothing, so it also serves where speed does not matter (calibration, evaluation, tests).
/// </summary>
public static class PreprocessReference
{
    // BT.601 luma weights, applied to the resampled R, G, B values as ((Kr * r) + (Kg * g)) + (Kb * b) in fp32.
    public const float Kr = 0.299f;
    public const float Kg = 0.587f;
    public const float Kb = 0.114f;

    /// <summary>
    /// Writes the fp32 model input for one image: crop (spec.Crop), resize to the input's H x W (spec.Resize), convert to the
    /// model's channel order (spec.Color), normalize x = (v * scale - mean[c]) / std[c], in the input's layout.
    /// </summary>
    /// <param name="inputShape">The model input: [1, C, H, W] / [1, H, W, C], [C, H, W] / [H, W, C] or [H, W] (see <see cref="PreprocessSpec.Resolve"/>).</param>
    /// <param name="dst">C * H * W elements.</param>
    public static void Apply(ImageView src, PreprocessSpec spec, ReadOnlySpan<int> inputShape, Span<float> dst)
    {
        ArgumentNullException.ThrowIfNull(spec);
        PreprocessTarget t = spec.Resolve(inputShape);
        CheckLength(dst.Length, t, nameof(dst));
        CropRegion region = CropRegion.Of(src.Width, src.Height, spec.Crop, t.Width, t.Height);
        Span<float> pixel = stackalloc float[3];
        for (int y = 0; y < t.Height; y++)
        {
            for (int x = 0; x < t.Width; x++)
            {
                Pixel(src, spec, t, region, x, y, pixel);
                for (int c = 0; c < t.Channels; c++)
                {
                    dst[t.IndexOf(c, y, x)] = pixel[c];
                }
            }
        }
    }

    /// <summary>
    /// As <see cref="Apply"/>, then each value quantized to int8: clamp(round_half_even(x / scale) + zeroPoint, -128, 127),
    /// exactly as the runtime's QuantMath.QuantizeToInt8.
    /// </summary>
    public static void ApplyQuantized(ImageView src, PreprocessSpec spec, ReadOnlySpan<int> inputShape, float scale, int zeroPoint, Span<sbyte> dst)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!(scale > 0f) || !float.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the input's quantization scale must be finite and > 0");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(zeroPoint, -128);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(zeroPoint, 127);
        PreprocessTarget t = spec.Resolve(inputShape);
        CheckLength(dst.Length, t, nameof(dst));
        CropRegion region = CropRegion.Of(src.Width, src.Height, spec.Crop, t.Width, t.Height);
        Span<float> pixel = stackalloc float[3];
        for (int y = 0; y < t.Height; y++)
        {
            for (int x = 0; x < t.Width; x++)
            {
                Pixel(src, spec, t, region, x, y, pixel);
                for (int c = 0; c < t.Channels; c++)
                {
                    dst[t.IndexOf(c, y, x)] = QuantizeToInt8(pixel[c], scale, zeroPoint);
                }
            }
        }
    }

    /// <summary>
    /// round_half_even(x / scale) + zeroPoint saturated to int8; NaN gives the zero point. The same arithmetic as
    /// EdgeCnn.Runtime.Quantization.QuantMath.QuantizeToInt8 (Vision does not reference the runtime; a test holds them equal).
    /// </summary>
    public static sbyte QuantizeToInt8(float x, float scale, int zeroPoint)
    {
        float r = MathF.Round(x / scale, MidpointRounding.ToEven);
        if (float.IsNaN(r))
        {
            return (sbyte)Math.Clamp(zeroPoint, -128, 127);
        }

        float v = r + zeroPoint;
        return v <= -128f ? (sbyte)-128 : v >= 127f ? (sbyte)127 : (sbyte)(int)v;
    }

    /// <summary>The model-channel values of output pixel (x, y): resample, colour-convert, normalize.</summary>
    private static void Pixel(ImageView src, PreprocessSpec spec, PreprocessTarget t, CropRegion region, int x, int y, Span<float> pixel)
    {
        AxisTaps tx = AxisTaps.Of(spec.Resize, x, region.Width, t.Width);
        AxisTaps ty = AxisTaps.Of(spec.Resize, y, region.Height, t.Height);
        if (src.Channels == 1)
        {
            float v = Resample(src, region, tx, ty, 0);
            pixel[0] = pixel[1] = pixel[2] = v; // grey source: one value, replicated for an RGB/BGR model
        }
        else
        {
            float r = Resample(src, region, tx, ty, 0), g = Resample(src, region, tx, ty, 1), b = Resample(src, region, tx, ty, 2);
            switch (t.Color)
            {
                case ColorOrder.Grey:
                    pixel[0] = (Kr * r) + (Kg * g) + (Kb * b);
                    break;
                case ColorOrder.Rgb:
                    (pixel[0], pixel[1], pixel[2]) = (r, g, b);
                    break;
                default:
                    (pixel[0], pixel[1], pixel[2]) = (b, g, r);
                    break;
            }
        }

        for (int c = 0; c < t.Channels; c++)
        {
            pixel[c] = ((pixel[c] * spec.Scale) - spec.MeanOf(c)) / spec.StdOf(c);
        }
    }

    /// <summary>sum over row taps i of wy_i * (sum over column taps j of wx_j * src), in that order, in fp32.</summary>
    private static float Resample(ImageView src, CropRegion region, AxisTaps tx, AxisTaps ty, int channel)
    {
        float acc = 0f;
        for (int i = 0; i < ty.Count; i++)
        {
            int sy = region.Y + ty.First + i;
            float row = 0f;
            for (int j = 0; j < tx.Count; j++)
            {
                row += tx.Weight(j) * src[region.X + tx.First + j, sy, channel];
            }

            acc += ty.Weight(i) * row;
        }

        return acc;
    }

    private static void CheckLength(int length, PreprocessTarget t, string parameter)
    {
        if (length != t.ElementCount)
        {
            throw new ArgumentException($"dst has {length} elements; the model input ({t.Layout}, {t.Channels}x{t.Height}x{t.Width}) has {t.ElementCount}", parameter);
        }
    }

    /// <summary>The taps of one output index on one axis, for whichever resize method.</summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly struct AxisTaps
    {
        private readonly bool _area;
        private readonly float _w0, _w1;
        private readonly int _d, _n, _m;

        private AxisTaps(int first, int count, float w0, float w1, bool area, int d, int n, int m)
        {
            (First, Count, _w0, _w1, _area, _d, _n, _m) = (first, count, w0, w1, area, d, n, m);
        }

        public int First { get; }

        public int Count { get; }

        /// <summary>Output index d of an axis resized from n source pixels to m.</summary>
        public static AxisTaps Of(ResizeMethod method, int d, int n, int m)
        {
            if (method == ResizeMethod.Nearest)
            {
                return new AxisTaps(ResampleAxis.Nearest(d, n, m), 1, 1f, 0f, area: false, d, n, m);
            }

            if (method == ResizeMethod.Area && n >= m)
            {
                (int first, int count) = ResampleAxis.AreaTaps(d, n, m);
                return new AxisTaps(first, count, 0f, 0f, area: true, d, n, m);
            }

            // Bilinear, and area on an axis that grows (a box average of a larger-than-source output is not defined).
            (int i0, float w0, float w1) = ResampleAxis.Bilinear(d, n, m);
            return new AxisTaps(i0, i0 + 1 < n ? 2 : 1, w0, w1, area: false, d, n, m);
        }

        public float Weight(int j) => _area ? ResampleAxis.AreaWeight(_d, First + j, _n, _m) : j == 0 ? _w0 : _w1;
    }
}
