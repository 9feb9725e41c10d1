namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// Attributes of a convolution-family node for the builder (Conv, ConvTranspose, LocallyConnected2D, TiledConv2D, Dense).
/// Null or default members are left out of the node, so the op's defaults apply.
/// </summary>
public sealed class ConvOptions
{
    public int[]? Strides { get; init; }

    public int[]? Dilations { get; init; }

    /// <summary>Begin pads of each spatial axis, then end pads.</summary>
    public int[]? Pads { get; init; }

    public PadMode PadMode { get; init; } = PadMode.Explicit;

    public int Group { get; init; } = 1;

    /// <summary>ConvTranspose only.</summary>
    public int[]? OutputPadding { get; init; }

    /// <summary>TiledConv2D only: [tH, tW].</summary>
    public int[]? Tile { get; init; }

    public FusedActivation Activation { get; init; } = FusedActivation.None;

    /// <summary>Clip bounds (Activation = Clip).</summary>
    public float ActivationMin { get; init; } = float.NegativeInfinity;

    public float ActivationMax { get; init; } = float.PositiveInfinity;

    /// <summary>LeakyRelu slope (Activation = LeakyRelu); 0.01 when null.</summary>
    public float? Alpha { get; init; }

    public NodeAttribute[] ToAttributes()
    {
        var list = new List<NodeAttribute>();
        if (Strides is not null)
        {
            list.Add(NodeAttribute.IntList(AttributeKey.Strides, Strides));
        }

        if (Dilations is not null)
        {
            list.Add(NodeAttribute.IntList(AttributeKey.Dilations, Dilations));
        }

        if (Pads is not null)
        {
            list.Add(NodeAttribute.IntList(AttributeKey.Pads, Pads));
        }

        if (PadMode != PadMode.Explicit)
        {
            list.Add(NodeAttribute.Int(AttributeKey.PadMode, (int)PadMode));
        }

        if (Group != 1)
        {
            list.Add(NodeAttribute.Int(AttributeKey.Group, Group));
        }

        if (OutputPadding is not null)
        {
            list.Add(NodeAttribute.IntList(AttributeKey.OutputPadding, OutputPadding));
        }

        if (Tile is not null)
        {
            list.Add(NodeAttribute.IntList(AttributeKey.Tile, Tile));
        }

        if (Activation != FusedActivation.None)
        {
            list.Add(NodeAttribute.Int(AttributeKey.Activation, (int)Activation));
        }

        if (Activation == FusedActivation.Clip)
        {
            list.Add(NodeAttribute.Float(AttributeKey.ActivationMin, ActivationMin));
            list.Add(NodeAttribute.Float(AttributeKey.ActivationMax, ActivationMax));
        }

        if (Alpha is { } alpha)
        {
            list.Add(NodeAttribute.Float(AttributeKey.Alpha, alpha));
        }

        return list.ToArray();
    }
}
