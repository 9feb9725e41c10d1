namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// Affine quantization: real = Scales[c] * (q - ZeroPoints[c]). Per-tensor when Axis is -1 (one entry), per-axis otherwise
/// (one entry per index of that axis, e.g. per output channel of OHWI weights with Axis 0).
/// </summary>
public sealed class QuantizationInfo
{
    public QuantizationInfo(float[] scales, int[] zeroPoints, int axis)
    {
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentNullException.ThrowIfNull(zeroPoints);
        if (scales.Length != zeroPoints.Length || scales.Length == 0)
        {
            throw new ArgumentException("scales and zero points must be non-empty and of equal length", nameof(scales));
        }

        if (axis < 0 && scales.Length != 1)
        {
            throw new ArgumentException("a per-tensor quantization has exactly one scale", nameof(axis));
        }

        Scales = scales;
        ZeroPoints = zeroPoints;
        Axis = axis;
    }

    public float[] Scales { get; }

    public int[] ZeroPoints { get; }

    /// <summary>-1 for per-tensor.</summary>
    public int Axis { get; }

    public bool IsPerTensor => Axis < 0;

    public float Scale => Scales[0];

    public int ZeroPoint => ZeroPoints[0];

    public static QuantizationInfo PerTensor(float scale, int zeroPoint) => new([scale], [zeroPoint], -1);

    public static QuantizationInfo PerAxis(float[] scales, int axis) => new(scales, new int[scales.Length], axis);
}
