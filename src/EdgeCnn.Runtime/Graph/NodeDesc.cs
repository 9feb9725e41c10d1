namespace EdgeCnn.Runtime.Graph;

/// <summary>A node of the graph: an operator, its tensors (by index; -1 for an absent optional input) and attributes.</summary>
public sealed class NodeDesc
{
    public NodeDesc(OpCode op, string name, int[] inputs, int[] outputs, NodeAttribute[] attributes)
    {
        Op = op;
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Attributes = attributes;
    }

    public OpCode Op { get; }

    public string Name { get; }

    public int[] Inputs { get; }

    public int[] Outputs { get; }

    public NodeAttribute[] Attributes { get; }

    /// <summary>Byte offset of this node's record in the file it was read from (0 when built in memory).</summary>
    public long FileOffset { get; internal set; }

    public NodeAttribute? Find(AttributeKey key)
    {
        foreach (NodeAttribute a in Attributes)
        {
            if (a.Key == key)
            {
                return a;
            }
        }

        return null;
    }

    public override string ToString() => $"{Name} ({Op})";
}
