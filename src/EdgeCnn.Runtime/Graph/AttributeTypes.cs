namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// The one value type of each attribute key. The verifier checks it for every node, so an operator's Plan can read any
/// attribute it lists without a type check of its own.
/// </summary>
public static class AttributeTypes
{
    public static AttributeType Of(AttributeKey key) => key switch
    {
        AttributeKey.Strides or AttributeKey.Dilations or AttributeKey.Pads or AttributeKey.KernelShape or AttributeKey.Axes
            or AttributeKey.Shape or AttributeKey.Perm or AttributeKey.Sizes or AttributeKey.OutputPadding or AttributeKey.Tile => AttributeType.Ints,
        AttributeKey.Scales => AttributeType.Floats,
        AttributeKey.ActivationMin or AttributeKey.ActivationMax or AttributeKey.Alpha or AttributeKey.Beta or AttributeKey.Gamma
            or AttributeKey.Epsilon or AttributeKey.Value or AttributeKey.Min or AttributeKey.Max => AttributeType.Float,
        _ => AttributeType.Int,
    };
}
