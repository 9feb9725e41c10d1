namespace EdgeCnn.Runtime.Graph;

/// <summary>Builder calls for the convolution family; each adds one node through Node(...), so the op's rules apply.</summary>
public sealed partial class ModelBuilder
{
    /// <summary>Conv: x [N, spatial..., C], weights OHWI [O, k..., C / group], bias [O] (int32 for int8) or null.</summary>
    public TensorRef Conv(TensorRef x, TensorRef weights, TensorRef? bias = null, ConvOptions? options = null,
        QuantizationInfo? outputQuantization = null, string? name = null) =>
        Family(OpCode.Conv, x, weights, bias, options, outputQuantization, name);

    /// <summary>ConvTranspose: weights [O, k..., C / group] with Conv's meaning; see OPERATORS.md for the output size.</summary>
    public TensorRef ConvTranspose(TensorRef x, TensorRef weights, TensorRef? bias = null, ConvOptions? options = null,
        QuantizationInfo? outputQuantization = null, string? name = null) =>
        Family(OpCode.ConvTranspose, x, weights, bias, options, outputQuantization, name);

    /// <summary>LocallyConnected2D: weights [outH, outW, O, kH, kW, C], bias [O] or [outH, outW, O].</summary>
    public TensorRef LocallyConnected2D(TensorRef x, TensorRef weights, TensorRef? bias = null, ConvOptions? options = null,
        QuantizationInfo? outputQuantization = null, string? name = null) =>
        Family(OpCode.LocallyConnected2D, x, weights, bias, options, outputQuantization, name);

    /// <summary>TiledConv2D: options.Tile = [tH, tW] is required; weights [tH, tW, O, kH, kW, C], bias [O].</summary>
    public TensorRef TiledConv2D(TensorRef x, TensorRef weights, TensorRef? bias = null, ConvOptions? options = null,
        QuantizationInfo? outputQuantization = null, string? name = null) =>
        Family(OpCode.TiledConv2D, x, weights, bias, options, outputQuantization, name);

    /// <summary>Dense: x [..., K], weights [O, K], bias [O] or null; y [..., O].</summary>
    public TensorRef Dense(TensorRef x, TensorRef weights, TensorRef? bias = null, ConvOptions? options = null,
        QuantizationInfo? outputQuantization = null, string? name = null) =>
        Family(OpCode.Dense, x, weights, bias, options, outputQuantization, name);

    private TensorRef Family(OpCode op, TensorRef x, TensorRef weights, TensorRef? bias, ConvOptions? options,
        QuantizationInfo? outputQuantization, string? name) =>
        Node(op, bias is null ? [x, weights] : [x, weights, bias], options?.ToAttributes(), outputQuantization, name);
}
