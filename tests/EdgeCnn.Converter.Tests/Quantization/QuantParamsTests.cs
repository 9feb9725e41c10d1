using EdgeCnn.Converter.Quantization;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Converter.Tests.Quantization;

public class QuantParamsTests
{
    [Theory]
    [InlineData(0f, 6f)]
    [InlineData(-1f, 1f)]
    [InlineData(-3.7f, 0.2f)]
    [InlineData(0.5f, 2f)]     // widened to contain 0
    [InlineData(-2f, -0.5f)]
    public void Activation_ranges_map_zero_exactly_and_cover_the_range(float low, float high)
    {
        QuantizationInfo q = QuantParams.Activation(low, high);
        Assert.True(q.IsPerTensor);
        Assert.InRange(q.ZeroPoint, -128, 127);
        Assert.Equal(0f, QuantMath.Dequantize(QuantMath.QuantizeToInt8(0f, q.Scale, q.ZeroPoint), q.Scale, q.ZeroPoint));
        float lo = MathF.Min(low, 0f), hi = MathF.Max(high, 0f);
        Assert.True(MathF.Abs(QuantMath.Dequantize(QuantMath.QuantizeToInt8(lo, q.Scale, q.ZeroPoint), q.Scale, q.ZeroPoint) - lo) <= q.Scale,
            $"low {lo} scale {q.Scale} zp {q.ZeroPoint}");
        Assert.True(MathF.Abs(QuantMath.Dequantize(QuantMath.QuantizeToInt8(hi, q.Scale, q.ZeroPoint), q.Scale, q.ZeroPoint) - hi) <= q.Scale,
            $"high {hi} scale {q.Scale} zp {q.ZeroPoint}");
    }

    [Fact]
    public void A_relu_range_puts_zero_at_minus_128()
    {
        QuantizationInfo q = QuantParams.Activation(0f, 2.55f);
        Assert.Equal(-128, q.ZeroPoint);
        Assert.Equal(0.01f, q.Scale, 1e-7f);
    }

    [Fact]
    public void An_all_zero_tensor_gets_a_positive_scale()
    {
        QuantizationInfo q = QuantParams.Activation(0f, 0f);
        Assert.True(q.Scale > 0f);
        Assert.Throws<ArgumentException>(() => QuantParams.Activation(float.NegativeInfinity, 1f));
    }

    [Fact]
    public void Weights_are_per_channel_symmetric_with_the_channel_max_at_127()
    {
        // [O=2, k=1, k=2, I=1] channel 0 in [-0.5, 1], channel 1 all zero, then an OHWI-like axis 2 case.
        float[] w = [1f, -0.5f, 0f, 0f];
        (sbyte[] q, float[] s) = QuantParams.Weights(w, [2, 1, 2, 1], 0);
        Assert.Equal([127, -64], q[..2].Select(v => (int)v));
        Assert.Equal(1f / 127f, s[0], 1e-9f);
        Assert.Equal([0, 0], q[2..].Select(v => (int)v));
        Assert.Equal(1f, s[1]); // a zero channel keeps a harmless scale

        float[] tiled = [2f, -4f, 1f, -1f]; // [1, 1, O=2, 2]: channel = axis 2
        (q, s) = QuantParams.Weights(tiled, [1, 1, 2, 2], 2);
        Assert.Equal([64, -127, 127, -127], q.Select(v => (int)v));
        Assert.Equal(4f / 127f, s[0], 1e-7f);
        Assert.Equal(1f / 127f, s[1], 1e-9f);
    }

    [Fact]
    public void Bias_is_in_accumulator_units_and_saturates()
    {
        int[] b = QuantParams.Bias([1f, -1f, 1e30f], 0.5f, [0.01f, 0.02f, 0.001f]);
        Assert.Equal(200, b[0]);
        Assert.Equal(-100, b[1]);
        Assert.Equal(int.MaxValue, b[2]);
        int[] lc = QuantParams.Bias([1f, 1f, 1f, 1f], 1f, [0.5f, 0.25f]); // [outH*outW, O=2]: channel = index % O
        Assert.Equal([2, 4, 2, 4], lc);
    }

    [Fact]
    public void Constants_used_as_activations_are_per_tensor()
    {
        (sbyte[] v, QuantizationInfo q) = QuantParams.Constant([0.5f, -0.25f, 1f]);
        for (int i = 0; i < v.Length; i++)
        {
            Assert.Equal(new[] { 0.5f, -0.25f, 1f }[i], QuantMath.Dequantize(v[i], q.Scale, q.ZeroPoint), q.Scale);
        }
    }
}
