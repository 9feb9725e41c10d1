using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>Invalid convolution-family nodes are rejected by the builder with a message naming the rule.</summary>
public class ConvolutionValidationTests
{
    private static readonly QuantizationInfo s_q = QuantizationInfo.PerTensor(0.1f, 0);

    private static OpValidationException RejectFloat(OpCode op, int[] xShape, int[] wShape, ConvOptions? options, int[]? biasShape = null)
    {
        float[]? bias = biasShape is null ? null : new float[ConvolutionNaive.Count(biasShape)];
        return Assert.Throws<OpValidationException>(() =>
            ConvolutionRun.BuildFloat(op, xShape, new float[ConvolutionNaive.Count(wShape)], wShape, bias, options, biasShape));
    }

    private static OpValidationException RejectInt8(OpCode op, int[] xShape, int[] wShape, QuantizationInfo wq, ConvOptions? options = null,
        int[]? biasShape = null, QuantizationInfo? xq = null) =>
        Assert.Throws<OpValidationException>(() => ConvolutionRun.BuildInt8(op, xShape, xq ?? s_q, new sbyte[ConvolutionNaive.Count(wShape)],
            wShape, wq, biasShape is null ? null : new int[ConvolutionNaive.Count(biasShape)], options, s_q, biasShape));

    public static TheoryData<string, OpCode, int[], int[], ConvOptions?, string> FloatCases() => new()
    {
        { "stride 0", OpCode.Conv, [1, 4, 4, 1], [1, 3, 3, 1], new ConvOptions { Strides = [0, 1] }, "stride" },
        { "dilation 0", OpCode.Conv, [1, 4, 4, 1], [1, 3, 3, 1], new ConvOptions { Dilations = [1, 0] }, "dilation" },
        { "group 0", OpCode.Conv, [1, 4, 4, 2], [2, 3, 3, 2], new ConvOptions { Group = 0 }, "group" },
        { "channels not divisible by group", OpCode.Conv, [1, 4, 4, 3], [2, 3, 3, 1], new ConvOptions { Group = 2 }, "divisible" },
        { "outputs not divisible by group", OpCode.Conv, [1, 4, 4, 4], [3, 3, 3, 2], new ConvOptions { Group = 2 }, "divisible" },
        { "weight channel mismatch", OpCode.Conv, [1, 4, 4, 3], [2, 3, 3, 2], null, "input channels" },
        { "weight rank mismatch", OpCode.Conv, [1, 4, 4, 3], [2, 3, 3], null, "rank" },
        { "rank 2 input", OpCode.Conv, [4, 3], [2, 3], null, "rank" },
        { "kernel larger than input", OpCode.Conv, [1, 2, 2, 1], [1, 3, 3, 1], null, "output" },
        { "negative pad", OpCode.Conv, [1, 4, 4, 1], [1, 3, 3, 1], new ConvOptions { Pads = [-1, 0, 0, 0] }, "pads" },
        { "wrong pad count", OpCode.Conv, [1, 4, 4, 1], [1, 3, 3, 1], new ConvOptions { Pads = [1, 1] }, "pads" },
        { "wrong stride count", OpCode.Conv, [1, 4, 4, 1], [1, 3, 3, 1], new ConvOptions { Strides = [1] }, "strides" },
        { "unknown pad mode", OpCode.Conv, [1, 4, 4, 1], [1, 3, 3, 1], new ConvOptions { PadMode = (PadMode)7 }, "pad mode" },
        { "unknown activation", OpCode.Conv, [1, 4, 4, 1], [1, 3, 3, 1], new ConvOptions { Activation = (FusedActivation)9 }, "activation" },
        { "clip min > max", OpCode.Dense, [2, 3], [1, 3], new ConvOptions { Activation = FusedActivation.Clip, ActivationMin = 2, ActivationMax = 1 }, "ActivationMin" },
        { "transpose output padding = stride", OpCode.ConvTranspose, [1, 3, 1], [1, 2, 1], new ConvOptions { Strides = [2], OutputPadding = [2] }, "output padding" },
        { "transpose stride 0", OpCode.ConvTranspose, [1, 3, 1], [1, 2, 1], new ConvOptions { Strides = [0] }, "stride" },
        { "transpose group 0", OpCode.ConvTranspose, [1, 3, 2], [2, 2, 2], new ConvOptions { Group = 0 }, "group" },
        { "transpose pads crop everything", OpCode.ConvTranspose, [1, 1, 1], [1, 1, 1], new ConvOptions { Pads = [1, 0] }, "output" },
        { "transpose channel mismatch", OpCode.ConvTranspose, [1, 3, 4], [1, 2, 3], null, "input channels" },
        { "tiled without tile", OpCode.TiledConv2D, [1, 4, 4, 1], [1, 1, 1, 3, 3, 1], null, "Tile" },
        { "tile 0", OpCode.TiledConv2D, [1, 4, 4, 1], [1, 1, 1, 3, 3, 1], new ConvOptions { Tile = [0, 1] }, "tile" },
        { "tile larger than output", OpCode.TiledConv2D, [1, 4, 4, 1], [3, 1, 1, 3, 3, 1], new ConvOptions { Tile = [3, 1] }, "larger" },
        { "tiled weights not matching tile", OpCode.TiledConv2D, [1, 4, 4, 1], [1, 1, 1, 3, 3, 1], new ConvOptions { Tile = [2, 1] }, "tile" },
        { "locally connected weights not output-sized", OpCode.LocallyConnected2D, [1, 4, 4, 1], [1, 1, 1, 3, 3, 1], null, "output size" },
        { "locally connected channel mismatch", OpCode.LocallyConnected2D, [1, 4, 4, 2], [2, 2, 1, 3, 3, 1], null, "input channels" },
        { "dense K mismatch", OpCode.Dense, [2, 3], [4, 2], null, "inputs" },
        { "dense rank 1", OpCode.Dense, [3], [4, 3], null, "rank" },
    };

    [Theory]
    [MemberData(nameof(FloatCases))]
    public void Invalid_fp32_nodes_are_rejected(string what, OpCode op, int[] xShape, int[] wShape, ConvOptions? options, string mention)
    {
        OpValidationException e = RejectFloat(op, xShape, wShape, options);
        Assert.True(e.Message.Contains(mention, StringComparison.OrdinalIgnoreCase), $"{what}: message '{e.Message}' does not mention '{mention}'");
    }

    [Fact]
    public void Bias_of_the_wrong_shape_or_type_is_rejected()
    {
        RejectFloat(OpCode.Conv, [1, 4, 4, 1], [2, 3, 3, 1], null, [3]);
        RejectFloat(OpCode.Dense, [2, 3], [4, 3], null, [1, 4]);
        RejectFloat(OpCode.TiledConv2D, [1, 4, 4, 1], [1, 1, 2, 3, 3, 1], new ConvOptions { Tile = [1, 1] }, [2, 2, 2]); // per-position bias is LC only
        Assert.Throws<OpValidationException>(() =>
        {
            // int32 bias on an fp32 conv.
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 3, 1]);
            b.Conv(x, b.Constant("w", new float[2], [1, 2, 1]), b.Constant("b", new int[1], [1]));
        });
        Assert.Throws<OpValidationException>(() =>
        {
            // fp32 bias on an int8 conv.
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, [1, 3, 1], s_q);
            b.Conv(x, b.Constant("w", new sbyte[2], [1, 2, 1], s_q), b.Constant("b", new float[1], [1]), null, s_q);
        });
        Assert.Contains("zero point 0", Assert.Throws<OpValidationException>(() =>
        {
            // int32 bias with a non-zero zero point: bias is in accumulator units.
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, [1, 3, 1], s_q);
            b.Conv(x, b.Constant("w", new sbyte[2], [1, 2, 1], s_q), b.Constant("b", new int[1], [1], QuantizationInfo.PerTensor(0.01f, 5)), null, s_q);
        }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_must_be_constant_and_of_the_input_type()
    {
        Assert.Contains("constant", Assert.Throws<OpValidationException>(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, 3, 1]);
            b.Conv(x, b.Input("w", DataType.Float32, [1, 2, 1]));
        }).Message, StringComparison.Ordinal);
        Assert.Throws<OpValidationException>(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, [1, 3, 1], s_q);
            b.Conv(x, b.Constant("w", new float[2], [1, 2, 1]), null, null, s_q);
        });
    }

    [Fact]
    public void Int8_weight_quantization_rules()
    {
        // Non-zero weight zero point.
        Assert.Contains("symmetric", RejectInt8(OpCode.Conv, [1, 3, 3, 1], [2, 1, 1, 1], new QuantizationInfo([0.1f, 0.1f], [0, 3], 0)).Message, StringComparison.Ordinal);
        // Per-axis on the wrong axis (last instead of output channels).
        Assert.Contains("axis", RejectInt8(OpCode.Conv, [1, 3, 3, 2], [1, 1, 1, 2], QuantizationInfo.PerAxis([0.1f, 0.2f], 3)).Message, StringComparison.Ordinal);
        // Per-axis with the wrong number of scales.
        RejectInt8(OpCode.Dense, [2, 3], [2, 3], QuantizationInfo.PerAxis([0.1f, 0.2f, 0.3f], 0));
        // Tiled weights are per-axis on axis 2 (output channel), not 0.
        RejectInt8(OpCode.TiledConv2D, [1, 2, 2, 1], [2, 1, 1, 1, 1, 1], QuantizationInfo.PerAxis([0.1f, 0.2f], 0), new ConvOptions { Tile = [2, 1] });
        // Weights without quantization.
        Assert.Throws<OpValidationException>(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, [1, 3, 1], s_q);
            b.Conv(x, b.Constant("w", new sbyte[2], [1, 2, 1], null!), null, null, s_q);
        });
        // Input without per-tensor quantization.
        RejectInt8(OpCode.Dense, [2, 3], [2, 3], s_q, xq: QuantizationInfo.PerAxis([0.1f, 0.1f, 0.1f], 1));
    }

    [Fact]
    public void Int8_rejects_non_clamp_activations_and_long_reductions()
    {
        Assert.Contains("int8", RejectInt8(OpCode.Conv, [1, 3, 3, 1], [1, 1, 1, 1], s_q, new ConvOptions { Activation = FusedActivation.LeakyRelu }).Message,
            StringComparison.Ordinal);
        RejectInt8(OpCode.Dense, [1, 4], [1, 4], s_q, new ConvOptions { Activation = FusedActivation.HardSwish });
        // 65537 terms per output could overflow the int32 accumulator.
        Assert.Contains("overflow", RejectInt8(OpCode.Dense, [1, 65537], [1, 65537], s_q).Message, StringComparison.Ordinal);
        Assert.Throws<OpValidationException>(() =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, [1, 3, 1], s_q);
            b.Conv(x, b.Constant("w", new sbyte[2], [1, 2, 1], s_q)); // int8 output without quantization
        });
    }

    [Fact]
    public void Unknown_attribute_is_rejected_at_load()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 3, 1]);
        // Tile is a TiledConv2D attribute; the file verifier rejects it on Conv.
        b.Output(b.Node(OpCode.Conv, [x, b.Constant("w", new float[2], [1, 2, 1])], [NodeAttribute.IntList(AttributeKey.Tile, [1, 1])]));
        Assert.Throws<EdgeCnn.Runtime.Format.EcnnFormatException>(() => b.BuildSession());
    }
}
