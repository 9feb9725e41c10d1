using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

/// <summary>What an operator sees of one node: its attributes (typed, checked reads) and its input tensors.</summary>
public abstract class NodeContext
{
    protected NodeContext(NodeDesc node, TensorDesc?[] inputs)
    {
        Node = node;
        Inputs = inputs;
    }

    public NodeDesc Node { get; }

    /// <summary>Input tensors; null where an optional input is absent.</summary>
    public TensorDesc?[] Inputs { get; }

    public int InputCount => Inputs.Length;

    public bool HasInput(int i) => i < Inputs.Length && Inputs[i] is not null;

    public TensorDesc Input(int i) =>
        i < Inputs.Length && Inputs[i] is { } t ? t : throw Fail($"input {i} is required");

    public bool Has(AttributeKey key) => Node.Find(key) is not null;

    public int Int(AttributeKey key, int defaultValue)
    {
        NodeAttribute? a = Node.Find(key);
        if (a is null)
        {
            return defaultValue;
        }

        if (a.Type != AttributeType.Int)
        {
            throw Fail($"attribute {key} must be a single int");
        }

        return a.Ints[0];
    }

    public float Float(AttributeKey key, float defaultValue)
    {
        NodeAttribute? a = Node.Find(key);
        if (a is null)
        {
            return defaultValue;
        }

        if (a.Type != AttributeType.Float)
        {
            throw Fail($"attribute {key} must be a single float");
        }

        return a.Floats[0];
    }

    /// <summary>An int list attribute; the default when absent (may be null).</summary>
    public int[]? Ints(AttributeKey key, int[]? defaultValue)
    {
        NodeAttribute? a = Node.Find(key);
        if (a is null)
        {
            return defaultValue;
        }

        if (a.Type != AttributeType.Ints)
        {
            throw Fail($"attribute {key} must be an int list");
        }

        return a.Ints;
    }

    public float[]? Floats(AttributeKey key, float[]? defaultValue)
    {
        NodeAttribute? a = Node.Find(key);
        if (a is null)
        {
            return defaultValue;
        }

        if (a.Type != AttributeType.Floats)
        {
            throw Fail($"attribute {key} must be a float list");
        }

        return a.Floats;
    }

    public OpValidationException Fail(string message) => new(message);
}
