using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// One per-tensor fixed-point multiplier in the form the vector element-wise kernels use: Q31 multiplier, left and right
/// shift, and RoundingDivideByPOT's mask and half-mask (see S8RequantAvx2 for the arithmetic). Computed at Plan from
/// FixedPoint.QuantizeMultiplier's (multiplier, shift).
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct S8Rescale(int Multiplier, int LeftShift, int RightShift, int RoundMask, int RoundHalf)
{
    public static S8Rescale From(int multiplier, int shift)
    {
        if (multiplier < 0 || shift is < -31 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(multiplier), $"multiplier {multiplier} shift {shift} is outside QuantizeMultiplier's range");
        }

        int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
        int mask = (int)((1L << right) - 1);
        return new S8Rescale(multiplier, left, right, mask, mask >> 1);
    }
}

/// <summary>
/// int8 Add / Sub as TFLite (the reference AddS8): both inputs moved to 2 * max(s_a, s_b) with 20 bits of headroom, added
/// or subtracted in int32, then rescaled to the output. The multipliers are computed exactly as AddS8's constructor does.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct S8AddParams(int ZeroA, int ZeroB, int ZeroY, S8Rescale A, S8Rescale B, S8Rescale Y, bool Subtract)
{
    public static S8AddParams From(float scaleA, int zeroA, float scaleB, int zeroB, float scaleY, int zeroY, bool subtract)
    {
        double twiceMax = 2 * (double)Math.Max(scaleA, scaleB);
        (int ma, int sa) = Quantization.FixedPoint.QuantizeMultiplier(scaleA / twiceMax);
        (int mb, int sb) = Quantization.FixedPoint.QuantizeMultiplier(scaleB / twiceMax);
        (int my, int sy) = Quantization.FixedPoint.QuantizeMultiplier(twiceMax / ((1 << Reference.AddS8.LeftShift) * (double)scaleY));
        return new S8AddParams(zeroA, zeroB, zeroY, S8Rescale.From(ma, sa), S8Rescale.From(mb, sb), S8Rescale.From(my, sy), subtract);
    }
}
