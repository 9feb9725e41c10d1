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
        CropRegion crop = CropRegion.Of(source.Width, source.Height, spec.Crop, target.Width, target.Height);
        var mul = new float[target.Channels];
        var add = new float[target.Channels];
        for (int c = 0; c < target.Channels; c++)
        {
            mul[c] = spec.Scale / spec.StdOf(c);
            add[c] = -spec.MeanOf(c) / spec.StdOf(c);
        }

        return new PreprocessPlan(crop.X, crop.Y, crop.Width, crop.Height, target.Width, target.Height, target.Channels, target.Color == ColorOrder.Bgr,
            target.Layout == TensorLayout.Nchw, spec.Resize, mul, add, int8, quantScale, quantZeroPoint);
    }
}
