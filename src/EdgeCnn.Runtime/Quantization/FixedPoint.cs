namespace EdgeCnn.Runtime.Quantization;

/// <summary>
/// Fixed-point requantization exactly as the TFLite quantization spec does it (gemmlowp's SaturatingRoundingDoublingHighMul
/// and RoundingDivideByPOT), so int8 results can be compared bit for bit with other runtimes. Shared with the converter.
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

    /// <summary>x * multiplier * 2^(shift-31), rounded: the requantization step of every int8 kernel.</summary>
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return RoundingDivideByPot(SaturatingRoundingDoublingHighMul(unchecked(x * (1 << leftShift)), multiplier), rightShift);
    }
}
