using System.Runtime.InteropServices;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Converter.Qdq;

/// <summary>Appends nodes, initializers and value infos to an ONNX graph under construction, with unique names.</summary>
internal sealed class OnnxGraphWriter
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _nodes;

    public GraphProto Graph { get; } = new() { Name = "edgecnn-qdq" };

    public string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }

    /// <summary>Adds a node and returns the name of its (single) output.</summary>
    public string Node(string op, string outputName, string[] inputs, params AttributeProto[] attributes)
    {
        string output = Unique(outputName);
        var node = new NodeProto { OpType = op, Name = $"{op}_{_nodes++}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    public string Initializer(string name, float[] values, long[] dims) =>
        AddInitializer(name, OnnxDataType.Float, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims);

    public string Initializer(string name, sbyte[] values, long[] dims) =>
        AddInitializer(name, OnnxDataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims);

    public string Initializer(string name, byte[] values, long[] dims) => AddInitializer(name, OnnxDataType.UInt8, values, dims);

    public string Initializer(string name, int[] values, long[] dims) =>
        AddInitializer(name, OnnxDataType.Int32, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims);

    public string Initializer(string name, long[] values, long[] dims) =>
        AddInitializer(name, OnnxDataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims);

    public static ValueInfoProto Value(string name, OnnxDataType type, IEnumerable<int> shape)
    {
        var t = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (int d in shape)
        {
            t.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = t } };
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, IEnumerable<int> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values.Select(v => (long)v));
        return a;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private string AddInitializer(string name, OnnxDataType type, byte[] raw, long[] dims)
    {
        string unique = Unique(name);
        var t = new TensorProto { Name = unique, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        Graph.Initializer.Add(t);
        return unique;
    }
}
