using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// Turns a model's preprocessing spec, resolved against its input shape, into the plan the fused pass runs for frames of
/// one format: crop rectangle, channel mapping, resampling, and the normalization folded into one multiply-add per channel
/// (<c>(v * scale - mean) / std = v * (scale / std) + (-mean / std)</c>).
/// </summary>
public static class PreprocessPlanner
{
    /// <param name="int8">the input tensor is int8 with per-tensor <paramref name="quantScale"/> and <paramref name="quantZeroPoint"/></param>
    public static PreprocessPlan Create(PreprocessSpec spec, PreprocessTarget target, FrameFormat source, bool int8 = false, float quantScale = 1f, int quantZeroPoint = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        (int cx, int cy, int cw, int ch) = CropRect(spec.Crop, source.Width, source.Height, target.Width, target.Height);
        var mul = new float[target.Channels];
        var add = new float[target.Channels];
        for (int c = 0; c < target.Channels; c++)
        {
            mul[c] = spec.Scale / spec.StdOf(c);
            add[c] = -spec.MeanOf(c) / spec.StdOf(c);
        }

        return new PreprocessPlan(cx, cy, cw, ch, target.Width, target.Height, target.Channels, target.Color == ColorOrder.Bgr,
            target.Layout == TensorLayout.Nchw, spec.Resize, mul, add, int8, quantScale, quantZeroPoint);
    }

    /// <summary>The source region resized: all of it, or the largest centred region with the input's aspect ratio.</summary>
    public static (int X, int Y, int Width, int Height) CropRect(CropMode crop, int srcWidth, int srcHeight, int dstWidth, int dstHeight)
    {
        if (crop == CropMode.None)
        {
            return (0, 0, srcWidth, srcHeight);
        }

        // Compare aspect ratios exactly in integers: src wider than dst when srcW * dstH > srcH * dstW.
        long a = (long)srcWidth * dstHeight, b = (long)srcHeight * dstWidth;
        if (a > b)
        {
            int w = (int)Math.Max(1, Math.Round((double)srcHeight * dstWidth / dstHeight, MidpointRounding.AwayFromZero));
            return ((srcWidth - w) / 2, 0, w, srcHeight);
        }

        int h = (int)Math.Max(1, Math.Round((double)srcWidth * dstHeight / dstWidth, MidpointRounding.AwayFromZero));
        return (0, (srcHeight - h) / 2, srcWidth, h);
    }
}
