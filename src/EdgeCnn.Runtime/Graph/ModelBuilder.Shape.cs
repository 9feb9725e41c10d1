namespace EdgeCnn.Runtime.Graph;

/// <summary>Builder helpers for the shape and data-movement ops. int8 outputs keep the input's quantization unless stated.</summary>
public sealed partial class ModelBuilder
{
    public TensorRef Flatten(TensorRef x, int axis = 1) =>
        Node(OpCode.Flatten, [x], [NodeAttribute.Int(AttributeKey.Axis, axis)], Desc(x).Quantization);

    /// <param name="shape">Target dims: 0 copies the input dim at that position, one -1 is inferred.</param>
    public TensorRef Reshape(TensorRef x, int[] shape) =>
        Node(OpCode.Reshape, [x], [NodeAttribute.IntList(AttributeKey.Shape, shape)], Desc(x).Quantization);

    /// <param name="axes">Axes to remove (each of size 1); null removes every size-1 axis.</param>
    public TensorRef Squeeze(TensorRef x, int[]? axes = null) =>
        Node(OpCode.Squeeze, [x], axes is null ? [] : [NodeAttribute.IntList(AttributeKey.Axes, axes)], Desc(x).Quantization);

    /// <param name="axes">Positions of the new size-1 axes in the output.</param>
    public TensorRef Unsqueeze(TensorRef x, int[] axes) =>
        Node(OpCode.Unsqueeze, [x], [NodeAttribute.IntList(AttributeKey.Axes, axes)], Desc(x).Quantization);

    public TensorRef Dropout(TensorRef x) => Node(OpCode.Dropout, [x], [], Desc(x).Quantization);

    /// <param name="perm">Output axis k is input axis perm[k]; null reverses the axes.</param>
    public TensorRef Transpose(TensorRef x, int[]? perm = null) =>
        Node(OpCode.Transpose, [x], perm is null ? [] : [NodeAttribute.IntList(AttributeKey.Perm, perm)], Desc(x).Quantization);

    /// <param name="outputQuantization">int8 only: the output's quantization (default: input 0's); other inputs are requantized.</param>
    public TensorRef Concat(TensorRef[] inputs, int axis, QuantizationInfo? outputQuantization = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0)
        {
            throw new ArgumentException("concat needs at least one input", nameof(inputs));
        }

        return Node(OpCode.Concat, inputs.Select(t => (TensorRef?)t).ToArray(), [NodeAttribute.Int(AttributeKey.Axis, axis)],
            outputQuantization ?? Desc(inputs[0]).Quantization);
    }

    /// <param name="pads">Begin of each axis, then end of each (negative crops).</param>
    public TensorRef Pad(TensorRef x, int[] pads, PadFill mode = PadFill.Constant, float value = 0f)
    {
        var attributes = new List<NodeAttribute> { NodeAttribute.IntList(AttributeKey.Pads, pads), NodeAttribute.Int(AttributeKey.Mode, (int)mode) };
        if (mode == PadFill.Constant)
        {
            attributes.Add(NodeAttribute.Float(AttributeKey.Value, value));
        }

        return Node(OpCode.Pad, [x], attributes.ToArray(), Desc(x).Quantization);
    }

    /// <param name="sizes">Output shape (every dim).</param>
    /// <param name="scales">Optional per-axis scales for the coordinate transform (default out / in).</param>
    /// <param name="outputQuantization">int8 linear only: the output's quantization (default: the input's).</param>
    public TensorRef Resize(TensorRef x, int[] sizes, ResizeMode mode = ResizeMode.Nearest,
        ResizeCoordinateMode coordinateMode = ResizeCoordinateMode.HalfPixel, ResizeNearestMode nearestMode = ResizeNearestMode.RoundPreferFloor,
        float[]? scales = null, QuantizationInfo? outputQuantization = null)
    {
        var attributes = new List<NodeAttribute>
        {
            NodeAttribute.IntList(AttributeKey.Sizes, sizes),
            NodeAttribute.Int(AttributeKey.Mode, (int)mode),
            NodeAttribute.Int(AttributeKey.CoordinateMode, (int)coordinateMode),
            NodeAttribute.Int(AttributeKey.NearestMode, (int)nearestMode),
        };
        if (scales is not null)
        {
            attributes.Add(NodeAttribute.FloatList(AttributeKey.Scales, scales));
        }

        return Node(OpCode.Resize, [x], attributes.ToArray(), outputQuantization ?? Desc(x).Quantization);
    }
}
