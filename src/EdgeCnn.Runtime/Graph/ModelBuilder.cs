using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Graph;

/// <summary>A tensor of a model under construction.</summary>
public readonly record struct TensorRef(int Index);

/// <summary>
/// Builds models in code, for tests and for users who do not start from ONNX. Every node is checked by its operator's
/// shape inference as it is added, so a builder model is valid by construction; Build() writes the .ecnn bytes.
/// </summary>
public sealed partial class ModelBuilder
{
    private readonly ModelDefinition _model = new();
    private int _autoName;

    public ModelDefinition Definition => _model;

    public TensorDesc Desc(TensorRef t) => _model.Tensors[t.Index];

    public int[] Shape(TensorRef t) => _model.Tensors[t.Index].Shape;

    public TensorRef Input(string name, DataType type, int[] shape, QuantizationInfo? quantization = null)
    {
        int i = _model.AddTensor(new TensorDesc(name, type, shape, quantization));
        _model.Inputs.Add(i);
        return new TensorRef(i);
    }

    public void Output(TensorRef t) => _model.Outputs.Add(t.Index);

    public void Metadata(string key, string value) => _model.Metadata.Add(new(key, value));

    public TensorRef Constant(string name, float[] data, int[] shape) =>
        AddConstant(name, DataType.Float32, shape, null, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), data.Length);

    public TensorRef Constant(string name, sbyte[] data, int[] shape, QuantizationInfo quantization) =>
        AddConstant(name, DataType.Int8, shape, quantization, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), data.Length);

    public TensorRef Constant(string name, int[] data, int[] shape, QuantizationInfo? quantization = null) =>
        AddConstant(name, DataType.Int32, shape, quantization, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), data.Length);

    /// <summary>
    /// Adds a node and returns its output. Output type and shape come from the operator's inference; an int8 output takes
    /// the given quantization (required for int8).
    /// </summary>
    public TensorRef Node(OpCode op, TensorRef?[] inputs, NodeAttribute[]? attributes = null, QuantizationInfo? outputQuantization = null,
        string? name = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        string nodeName = name ?? $"{op}_{_autoName++}";
        int[] inputIndices = inputs.Select(t => t?.Index ?? -1).ToArray();
        Operator definition = OpRegistry.Get(op);
        var node = new NodeDesc(op, nodeName, inputIndices, [], attributes ?? []);
        var inputDescs = inputIndices.Select(i => i >= 0 ? _model.Tensors[i] : null).ToArray();
        var ctx = new InferContext(node, inputDescs, new TensorDesc?[definition.OutputCount]);
        definition.Infer(ctx);
        var outputs = new int[definition.OutputCount];
        for (int o = 0; o < outputs.Length; o++)
        {
            DataType type = ctx.OutputTypes[o];
            if (type == DataType.Int8 && outputQuantization is null)
            {
                throw new OpValidationException($"{nodeName} ({op}): an int8 output needs outputQuantization");
            }

            outputs[o] = _model.AddTensor(new TensorDesc(outputs.Length == 1 ? nodeName : $"{nodeName}:{o}", type, ctx.OutputShapes[o],
                type == DataType.Int8 ? outputQuantization : null));
        }

        _model.Nodes.Add(new NodeDesc(op, nodeName, inputIndices, outputs, attributes ?? []));
        return new TensorRef(outputs[0]);
    }

    public TensorRef Node(OpCode op, TensorRef input, params NodeAttribute[] attributes) => Node(op, [input], attributes);

    /// <summary>Writes the model as .ecnn bytes.</summary>
    public byte[] Build() => ModelWriter.Write(_model);

    /// <summary>Writes, reads back (verifying) and plans the model.</summary>
    public InferenceSession BuildSession() => InferenceSession.Load(Build());

    /// <summary>Writes, reads back (verifying) and plans the model with the given options.</summary>
    public InferenceSession BuildSession(SessionOptions options) => InferenceSession.Load(Build(), options);

    private TensorRef AddConstant(string name, DataType type, int[] shape, QuantizationInfo? q, byte[] bytes, int count)
    {
        if (ShapeMath.ElementCount(shape) != count)
        {
            throw new ArgumentException($"constant '{name}' has {count} values but shape {ShapeMath.Format(shape)}", nameof(shape));
        }

        return new TensorRef(_model.AddTensor(new TensorDesc(name, type, shape, q), bytes));
    }
}
