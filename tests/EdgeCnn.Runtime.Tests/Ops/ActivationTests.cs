using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

public class ActivationTests
{
    private static readonly float[] s_x = [-3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f, 7f];

    private static float[] RunUnary(OpCode op, float[] x, params NodeAttribute[] attributes)
    {
        var b = new ModelBuilder();
        TensorRef input = b.Input("x", DataType.Float32, [1, x.Length]);
        b.Output(b.Node(op, input, attributes));
        return Run.Float(b, x);
    }

    [Fact]
    public void Relu_zeroes_negatives()
    {
        Tolerance.AllClose([0, 0, 0, 0, 0.5f, 1, 3, 7], RunUnary(OpCode.Relu, s_x), "relu");
    }

    [Fact]
    public void Clip_as_relu6()
    {
        float[] y = RunUnary(OpCode.Clip, s_x, NodeAttribute.Float(AttributeKey.Min, 0), NodeAttribute.Float(AttributeKey.Max, 6));
        Tolerance.AllClose([0, 0, 0, 0, 0.5f, 1, 3, 6], y, "relu6");
    }

    [Fact]
    public void Clip_with_min_above_max_gives_max_and_nan_passes_through()
    {
        float[] y = RunUnary(OpCode.Clip, [-5f, 0f, 1.5f, 9f, float.NaN], NodeAttribute.Float(AttributeKey.Min, 2f), NodeAttribute.Float(AttributeKey.Max, 1f));
        Assert.Equal([1f, 1f, 1f, 1f], y[..4]);
        Assert.True(float.IsNaN(y[4]));
        Assert.True(float.IsNaN(RunUnary(OpCode.Relu, [float.NaN])[0]));
    }

    [Fact]
    public void LeakyRelu_default_slope_is_one_hundredth()
    {
        Tolerance.AllClose([-0.03f, -0.01f, -0.005f, 0, 0.5f, 1, 3, 7], RunUnary(OpCode.LeakyRelu, s_x), "leaky");
    }

    [Fact]
    public void Elu_matches_hand_values()
    {
        // alpha (e^x - 1): e^-3 = 0.049787068, e^-1 = 0.36787944, e^-0.5 = 0.60653066
        float[] y = RunUnary(OpCode.Elu, s_x, NodeAttribute.Float(AttributeKey.Alpha, 2f));
        Tolerance.AllClose([-1.9004259f, -1.2642411f, -0.7869387f, 0, 0.5f, 1, 3, 7], y, "elu");
    }

    [Fact]
    public void Selu_matches_hand_values()
    {
        // gamma * alpha * (e^x - 1) for x <= 0 with the ONNX defaults.
        const float a = 1.6732632f, g = 1.0507010f;
        float[] expected = [g * a * (0.049787068f - 1), g * a * (0.36787944f - 1), g * a * (0.60653066f - 1), 0, g * 0.5f, g, g * 3, g * 7];
        Tolerance.AllClose(expected, RunUnary(OpCode.Selu, s_x), "selu");
    }

    [Fact]
    public void Sigmoid_tanh_softplus_silu_match_hand_values()
    {
        float[] x = [-2f, 0f, 2f, 100f, -100f];
        Tolerance.AllClose([0.11920292f, 0.5f, 0.88079708f, 1f, 0f], RunUnary(OpCode.Sigmoid, x), "sigmoid", atol: 1e-7f);
        Tolerance.AllClose([-0.96402758f, 0f, 0.96402758f, 1f, -1f], RunUnary(OpCode.Tanh, x), "tanh");
        Tolerance.AllClose([0.12692801f, 0.69314718f, 2.12692801f, 100f, 0f], RunUnary(OpCode.Softplus, x), "softplus", atol: 1e-7f);
        Tolerance.AllClose([-0.23840584f, 0f, 1.76159416f, 100f, 0f], RunUnary(OpCode.Silu, x), "silu", atol: 1e-7f);
    }

    [Fact]
    public void Exp_matches_hand_values_and_overflows_to_infinity()
    {
        float[] y = RunUnary(OpCode.Exp, [-1f, 0f, 1f, 2f, 100f]);
        Tolerance.AllClose([0.36787944f, 1f, 2.7182817f, 7.389056f], y[..4], "exp");
        Assert.True(float.IsPositiveInfinity(y[4]));
    }

    [Fact]
    public void HardSigmoid_and_HardSwish_match_hand_values()
    {
        float[] x = [-4f, -3f, -1f, 0f, 1f, 3f, 4f];
        Tolerance.AllClose([0, 0, 0.3f, 0.5f, 0.7f, 1f, 1f], RunUnary(OpCode.HardSigmoid, x), "hardsigmoid");
        // x * clamp(x/6 + 1/2, 0, 1)
        Tolerance.AllClose([0, 0, -1f / 3f, 0, 2f / 3f, 3f, 4f], RunUnary(OpCode.HardSwish, x), "hardswish");
    }

    [Fact]
    public void Int8_relu_is_the_real_relu_requantized()
    {
        // in: scale 0.5, zp -10; out: scale 0.25, zp -128. q=-20 -> real -5 -> 0 -> -128; q=0 -> 5 -> 20 -> -108.
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [4], QuantizationInfo.PerTensor(0.5f, -10));
        b.Output(b.Node(OpCode.Relu, [x], null, QuantizationInfo.PerTensor(0.25f, -128)));
        sbyte[] y = Run.Int8(b, [-20, -10, 0, 127]);
        // 127 -> 68.5 real -> 274 steps -> saturates at 127
        Tolerance.Equal([-128, -128, -108, 127], y, "s8 relu");
    }

    [Fact]
    public void Int8_sigmoid_rounds_half_to_even()
    {
        // in scale 1/16 zp 0; out scale 1/256 zp -128 (the TFLite convention for sigmoid).
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [3], QuantizationInfo.PerTensor(1f / 16, 0));
        b.Output(b.Node(OpCode.Sigmoid, [x], null, QuantizationInfo.PerTensor(1f / 256, -128)));
        sbyte[] y = Run.Int8(b, [0, 16, -128]);
        // sigmoid(0)=0.5 -> 128 -> 0; sigmoid(1)=0.7310586 -> 187.15 -> 187 -> 59; sigmoid(-8)=0.00033535 -> 0.0858 -> 0 -> -128
        Tolerance.Equal([0, 59, -128], y, "s8 sigmoid");
    }
}
