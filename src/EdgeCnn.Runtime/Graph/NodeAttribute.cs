namespace EdgeCnn.Runtime.Graph;

/// <summary>One typed attribute of a node: a key and either int32 or float32 values.</summary>
public sealed class NodeAttribute
{
    private NodeAttribute(AttributeKey key, AttributeType type, int[]? ints, float[]? floats)
    {
        Key = key;
        Type = type;
        Ints = ints ?? [];
        Floats = floats ?? [];
    }

    public AttributeKey Key { get; }

    public AttributeType Type { get; }

    public int[] Ints { get; }

    public float[] Floats { get; }

    public int Count => Type is AttributeType.Int or AttributeType.Ints ? Ints.Length : Floats.Length;

    public static NodeAttribute Int(AttributeKey key, int value) => new(key, AttributeType.Int, [value], null);

    public static NodeAttribute IntList(AttributeKey key, int[] values) => new(key, AttributeType.Ints, values, null);

    public static NodeAttribute Float(AttributeKey key, float value) => new(key, AttributeType.Float, null, [value]);

    public static NodeAttribute FloatList(AttributeKey key, float[] values) => new(key, AttributeType.Floats, null, values);

    public override string ToString() => Type switch
    {
        AttributeType.Int => $"{Key}={Ints[0]}",
        AttributeType.Float => $"{Key}={Floats[0]}",
        AttributeType.Ints => $"{Key}=[{string.Join(',', Ints)}]",
        _ => $"{Key}=[{string.Join(',', Floats)}]",
    };
}
