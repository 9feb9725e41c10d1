using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>ChannelClip: the per-channel clamp a BatchNorm after a ReLU folds into (OPERATORS.md), fp32 and int8, and its rules.</summary>
public class ChannelClipTests
{
    private static readonly float[] s_lo = [0.5f, float.NegativeInfinity, -1f, 0.25f];
    private static readonly float[] s_hi = [float.PositiveInfinity, 0.75f, -1f, 2f];

    [Fact]
    public void Float_clamps_each_channel_to_its_bounds()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 2, 4]);
        b.Output(b.Node(OpCode.ChannelClip, [x, b.Constant("lo", s_lo, [4]), b.Constant("hi", s_hi, [4])]));
        using InferenceSession s = b.BuildSession(SessionOptions.ReferenceOnly);
        float[] input = [-3f, -3f, -3f, -3f, 3f, 3f, float.NaN, 1f];
        input.CopyTo(s.Input<float>(0));
        s.Run();
        float[] expected = [0.5f, -3f, -1f, 0.25f, 3f, 0.75f, float.NaN, 1f];
        Assert.Equal(expected, s.Output<float>(0).ToArray());
    }

    [Fact]
    public void Int8_clamps_to_the_bounds_quantized_with_the_tensors_own_quantization()
    {
        QuantizationInfo q = QuantizationInfo.PerTensor(0.03f, 11);
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [1, 64, 4], q);
        b.Output(b.Node(OpCode.ChannelClip, [x, b.Constant("lo", s_lo, [4]), b.Constant("hi", s_hi, [4])], null, q));
        using InferenceSession s = b.BuildSession(SessionOptions.ReferenceOnly);
        Span<sbyte> input = s.Input<sbyte>(0);
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (sbyte)(i - 128);
        }

        sbyte[] given = input.ToArray();
        s.Run();
        ReadOnlySpan<sbyte> y = s.Output<sbyte>(0);
        for (int i = 0; i < y.Length; i++)
        {
            int c = i % 4;
            (int lo, int hi) = QuantMath.ClampRange(s_lo[c], s_hi[c], q.Scale, q.ZeroPoint);
            Assert.Equal(Math.Clamp(given[i], lo, hi), y[i]);
        }

        Assert.Contains(y.ToArray(), v => v == QuantMath.QuantizeToInt8(0.5f, q.Scale, q.ZeroPoint)); // the bounds were reached
    }

    [Fact]
    public void Bad_bounds_and_quantization_are_rejected_by_name()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 2, 4]);
        OpValidationException e = Assert.Throws<OpValidationException>(() =>
            b.Node(OpCode.ChannelClip, [x, b.Constant("lo3", new float[3], [3]), b.Constant("hi4", new float[4], [4])]));
        Assert.Contains("lo3", e.Message, StringComparison.Ordinal);
        Assert.Throws<OpValidationException>(() => b.Node(OpCode.ChannelClip, [x, b.Input("lo", DataType.Float32, [4]), b.Constant("hi", new float[4], [4])]));

        var inverted = new ModelBuilder();
        TensorRef xi = inverted.Input("x", DataType.Float32, [1, 2, 4]);
        inverted.Output(inverted.Node(OpCode.ChannelClip, [xi, inverted.Constant("lo", [0f, 0f, 2f, 0f], [4]), inverted.Constant("hi", [1f, 1f, 1f, 1f], [4])]));
        e = Assert.Throws<OpValidationException>(() => inverted.BuildSession());
        Assert.Contains("channel 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("ChannelClip_0", e.Message, StringComparison.Ordinal); // the node's name

        var requantizing = new ModelBuilder();
        TensorRef xq = requantizing.Input("x", DataType.Int8, [1, 4], QuantizationInfo.PerTensor(0.1f, 0));
        requantizing.Output(requantizing.Node(OpCode.ChannelClip, [xq, requantizing.Constant("lo", new float[4], [4]),
            requantizing.Constant("hi", new float[4], [4])], null, QuantizationInfo.PerTensor(0.2f, 0)));
        EcnnFormatException f = Assert.Throws<EcnnFormatException>(() => requantizing.BuildSession()); // the file's node is invalid
        Assert.Contains("must keep the input's quantization", f.Message, StringComparison.Ordinal);
    }
}
