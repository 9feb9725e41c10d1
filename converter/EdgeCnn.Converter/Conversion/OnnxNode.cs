using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;

namespace EdgeCnn.Converter.Conversion;

/// <summary>A node being converted: its inputs and outputs by name, typed attribute reads, and errors that name it.</summary>
public sealed class OnnxNode
{
    private readonly NodeProto _node;

    public OnnxNode(NodeProto node, int index, int opset)
    {
        ArgumentNullException.ThrowIfNull(node);
        _node = node;
        Index = index;
        Opset = opset;
        Name = string.IsNullOrEmpty(node.Name) ? $"{node.OpType}_{index}" : node.Name;
    }

    public int Index { get; }

    public int Opset { get; }

    public string Name { get; }

    public string OpType => _node.OpType;

    /// <summary>The ONNX node itself (the QLinear ops are lowered by re-running Conv/MatMul on a node made from it).</summary>
    internal NodeProto Proto => _node;

    public string Domain => _node.Domain;

    public IList<string> Inputs => _node.Input;

    public IList<string> Outputs => _node.Output;

    /// <summary>"name (op_type, domain 'ai.onnx', opset 13)" for error messages.</summary>
    public string Describe() =>
        $"node '{Name}' ({OpType}, domain '{(string.IsNullOrEmpty(Domain) ? "ai.onnx" : Domain)}', opset {Opset})";

    /// <summary>Input i's name, or null when absent (beyond the list or the empty name ONNX uses for skipped optionals).</summary>
    public string? Input(int i) => i < _node.Input.Count && _node.Input[i].Length > 0 ? _node.Input[i] : null;

    public string RequiredInput(int i) => Input(i) ?? throw Malformed($"input {i} is required");

    public bool HasAttribute(string name) => Find(name) is not null;

    public long Int(string name, long defaultValue) => Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.Int).I : defaultValue;

    public float Float(string name, float defaultValue) => Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.Float).F : defaultValue;

    public string String(string name, string defaultValue) =>
        Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.String).S.ToStringUtf8() : defaultValue;

    public long[]? Ints(string name) => Find(name) is { } a ? [.. Expect(a, AttributeProto.Types.AttributeType.Ints).Ints] : null;

    public float[]? Floats(string name) => Find(name) is { } a ? [.. Expect(a, AttributeProto.Types.AttributeType.Floats).Floats] : null;

    public TensorProto? Tensor(string name) => Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.Tensor).T : null;

    public IEnumerable<string> AttributeNames => _node.Attribute.Select(a => a.Name);

    /// <summary>Valid ONNX that EdgeCnn does not support: names the node and says what is supported.</summary>
    public OnnxImportException Unsupported(string what) =>
        new($"{Describe()}: {what}") { Node = Describe(), IsUnsupported = true };

    /// <summary>Invalid ONNX.</summary>
    public OnnxImportException Malformed(string what) => new($"{Describe()}: {what}") { Node = Describe() };

    /// <summary>Refuses attributes the converter does not know for this op (a newer opset's additions, typically).</summary>
    public void OnlyAttributes(params string[] known)
    {
        foreach (AttributeProto a in _node.Attribute)
        {
            if (Array.IndexOf(known, a.Name) < 0)
            {
                throw Unsupported($"attribute '{a.Name}' is not supported (supported: {(known.Length == 0 ? "none" : string.Join(", ", known))})");
            }
        }
    }

    private AttributeProto? Find(string name)
    {
        foreach (AttributeProto a in _node.Attribute)
        {
            if (string.Equals(a.Name, name, StringComparison.Ordinal))
            {
                return a;
            }
        }

        return null;
    }

    private AttributeProto Expect(AttributeProto a, AttributeProto.Types.AttributeType type)
    {
        // IR version 1 models have no type field: accept an unset type.
        if (a.HasType && a.Type != type)
        {
            throw Malformed($"attribute '{a.Name}' is {a.Type}; {type} expected");
        }

        return a;
    }
}
