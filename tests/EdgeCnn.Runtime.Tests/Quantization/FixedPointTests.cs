using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Tests.Quantization;

/// <summary>
/// The Conv/Dense output stage rounds acc * M * 2^(shift-31) once (TFLite's single rounding), checked against the exact
/// value computed in 128-bit integers. TFLite's default double rounding (SaturatingRoundingDoublingHighMul, then
/// RoundingDivideByPOT) is off by one step on values just below a tie, which made EdgeCnn's first convolution of the
/// Fashion-MNIST model differ from ONNX Runtime on 4.2e-4 of its outputs (bench/results/int8-quantization.md).
/// </summary>
public class FixedPointTests
{
    /// <summary>round_half_up(acc * m / 2^(31 - shift)) in exact integer arithmetic.</summary>
    private static long Exact(long acc, int m, int shift) => (long)((((Int128)acc * m) + (Int128.One << (30 - shift))) >> (31 - shift));

    [Fact]
    public void Single_rounding_is_the_exactly_rounded_product_for_every_shift()
    {
        var rng = new Random(11);
        int[] extremes = [int.MinValue, int.MinValue + 1, -1, 0, 1, int.MaxValue];
        for (int shift = -31; shift <= 30; shift++)
        {
            for (int i = 0; i < 4000; i++)
            {
                int m = i % 7 == 0 ? int.MaxValue : i % 11 == 0 ? 1 << 30 : rng.Next(1 << 30, int.MaxValue);
                int acc = i < extremes.Length ? extremes[i] : rng.Next(int.MinValue, int.MaxValue);
                if (shift > 0)
                {
                    acc >>= shift; // x * 2^left must not wrap: then the result is the exact one
                }

                long expected = Exact(acc, m, shift);
                int actual = FixedPoint.MultiplyByQuantizedMultiplierSingleRounding(acc, m, shift);
                Assert.True(expected == actual, $"acc {acc} multiplier {m} shift {shift}: {actual}, exact {expected}");
            }
        }
    }

    [Theory]
    [InlineData(0.0011705117, 1 << 18)] // the Fashion-MNIST first convolution's channel 0: 1/255 * s_w / s_y, shift -9
    [InlineData(0.000930423, 1 << 18)] // its channel 5, shift -10
    [InlineData(0.37, 1 << 12)] // a right shift of 1
    public void Single_rounding_is_right_on_every_accumulator_where_double_rounding_is_not(double real, int range)
    {
        (int m, int shift) = FixedPoint.QuantizeMultiplier(real);
        int doubleWrong = 0;
        for (int acc = -range; acc <= range; acc++)
        {
            long exact = Exact(acc, m, shift);
            Assert.Equal(exact, FixedPoint.MultiplyByQuantizedMultiplierSingleRounding(acc, m, shift));
            doubleWrong += FixedPoint.MultiplyByQuantizedMultiplier(acc, m, shift) != exact ? 1 : 0;
        }

        // Double rounding moves a share of about 2^-(right+1) of the values (those just below a tie) up by one step.
        double expectedShare = Math.Pow(2, shift - 1);
        double share = doubleWrong / (2.0 * range + 1);
        Assert.InRange(share, expectedShare / 3, expectedShare * 3);
    }
}
