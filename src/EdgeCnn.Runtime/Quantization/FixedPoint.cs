namespace EdgeCnn.Runtime.Quantization;

/// <summary>
/// Fixed-point requantization as the TFLite quantization spec does it, so int8 results can be compared bit for bit with
/// other runtimes. Shared with the converter. Two roundings of the same Q31 multiplier and shift:
/// <list type="bullet">
/// <item><see cref="MultiplyByQuantizedMultiplier"/>: gemmlowp's SaturatingRoundingDoublingHighMul then RoundingDivideByPOT,
/// TFLite's default. It rounds twice, and the first rounding (to a multiple of 2^-right of an output step) moves values
/// that lie within 2^-(right+1) below a tie onto the tie, which then rounds up: wrong by one step on a share 2^-(right+1)
/// of uniformly spread values, ~5e-4 for the right shifts of 9 to 10 of a typical first convolution. Kept for Add, Mul,
/// pooling and Concat rescaling (their TFLite arithmetic).</item>
/// <item><see cref="MultiplyByQuantizedMultiplierSingleRounding"/>: TFLite's TFLITE_SINGLE_ROUNDING form, one rounding of
/// the 64-bit product, the output stage of Conv, depthwise Conv, ConvTranspose and Dense. Measured on the Fashion-MNIST
/// model's first convolution (300 test images, 7.5 M outputs): the double rounding differs from the exactly rounded real
/// value on 3,147 elements, the single rounding on none, ONNX Runtime's float requantization on 6
/// (bench/results/int8-quantization.md).</item>
/// </list>
/// </summary>
public static class FixedPoint
{
    /// <summary>
    /// Represents a positive real multiplier as a Q31 value in [2^30, 2^31) and a power-of-two shift:
    /// real ~= multiplier * 2^(shift - 31). Positive shift means a left shift.
    /// </summary>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
    {
        if (!double.IsFinite(real) || real < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(real), real, "multiplier must be finite and >= 0");
        }

        if (real == 0)
        {
            return (0, 0);
        }

        // frexp: real = q * 2^shift with q in [0.5, 1).
        int shift = Math.ILogB(real) + 1;
        double q = Math.ScaleB(real, -shift);
        long qFixed = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (qFixed == 1L << 31)
        {
            qFixed /= 2;
            shift++;
        }

        if (shift < -31)
        {
            return (0, 0);
        }

        if (shift > 30)
        {
            return (int.MaxValue, 30);
        }

        return ((int)qFixed, shift);
    }

    /// <summary>round(a * b / 2^31), saturating the single overflow case (both int.MinValue).</summary>
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue)
        {
            return int.MaxValue;
        }

        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int)((ab + nudge) / (1L << 31)); // C-style truncating division, as gemmlowp
    }

    /// <summary>x / 2^exponent rounded to nearest, ties away from zero.</summary>
    public static int RoundingDivideByPot(int x, int exponent)
    {
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>x * multiplier * 2^(shift-31), rounded twice (TFLite's default; see the class comment).</summary>
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return RoundingDivideByPot(SaturatingRoundingDoublingHighMul(unchecked(x * (1 << leftShift)), multiplier), rightShift);
    }

    /// <summary>
    /// x * multiplier * 2^(shift-31) rounded once, half up: round_half_up(p / 2^(31+right)) with p = (x * 2^left) * multiplier
    /// in 64 bits, left = max(shift, 0), right = max(-shift, 0). x * 2^left wraps in 32 bits as in
    /// <see cref="MultiplyByQuantizedMultiplier"/> (the two agree whenever right == 0); for right >= 1 the result is
    /// floor(p / 2^(31+right)) plus bit 30+right of p, taken as (h >> right) + bit right-1 of h with h = floor(p / 2^31),
    /// which fits int32 (|p| &lt; 2^62) where h + 2^(right-1) might not. The vector requantizations (S8RequantAvx2, ...)
    /// compute exactly this.
    /// </summary>
    public static int MultiplyByQuantizedMultiplierSingleRounding(int x, int multiplier, int shift)
    {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        long p = (long)unchecked(x * (1 << leftShift)) * multiplier;
        if (rightShift == 0)
        {
            return (int)((p + (1L << 30)) >> 31);
        }

        int h = (int)(p >> 31);
        return (h >> rightShift) + ((h >> (rightShift - 1)) & 1);
    }
}
