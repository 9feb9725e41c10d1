namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// Everything the fused pass needs, resolved from the model's preprocessing spec, its input tensor and the source's
/// frame format: a crop in source pixels, the output size and layout, the channel mapping, the resampling, an affine
/// normalization per output channel (<c>value = pixel * Multiply[c] + Add[c]</c>, pixel in 0..255) and, for int8 inputs,
/// the input tensor's quantization (<c>q = clamp(round(value / QuantScale) + QuantZeroPoint, -128, 127)</c>).
/// </summary>
/// <param name="OutChannels">1 (grey) or 3</param>
/// <param name="Bgr">3 output channels in B, G, R order (models trained on OpenCV images)</param>
/// <param name="Nchw">planar output [1, C, H, W] instead of channels-last [1, H, W, C]</param>
public sealed record PreprocessPlan(
    int CropX,
    int CropY,
    int CropWidth,
    int CropHeight,
    int OutWidth,
    int OutHeight,
    int OutChannels,
    bool Bgr,
    bool Nchw,
    ResizeMethod Resize,
    float[] Multiply,
    float[] Add,
    bool Int8 = false,
    float QuantScale = 1f,
    int QuantZeroPoint = 0)
{
    /// <summary>BT.601 luma weights for a grey model fed colour frames (the weights of ITU-R BT.601 / OpenCV's RGB2GRAY).</summary>
    public const float LumaR = PreprocessReference.Kr, LumaG = PreprocessReference.Kg, LumaB = PreprocessReference.Kb;

    public int OutputElements => OutWidth * OutHeight * OutChannels;
}
