using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// The state of one conversion: every ONNX value seen so far and the runtime model being built. Op converters ask for an
/// input in the layout they need; a transpose is emitted only when a value exists in the other layout, and at most once
/// per value and direction, so chains of channels-last ops (conv, pool, activation, add) carry no transposes between them.
/// </summary>
internal sealed class ConversionContext
{
    private readonly Dictionary<string, ValueSlot> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public ConversionContext(int opset)
    {
        Opset = opset;
    }

    public ModelBuilder Builder { get; } = new();

    public int Opset { get; }

    /// <summary>Counts of transposes inserted to change layout (reported by the converter).</summary>
    public int LayoutTransposes { get; private set; }

    /// <summary>Runtime weight tensors made from dequantized constants, with their own quantization (axis 0 = output channel).</summary>
    public Dictionary<TensorDesc, Runtime.Graph.QuantizationInfo> WeightQuantization { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Records the source quantization of a weighted layer's weights when its output-channel axis is the one quantized.</summary>
    public void NoteWeights(TensorRef weights, ConstTensor source, int onnxOutputAxis)
    {
        if (source.Quantization is not { } q || q.ZeroPoints.Any(z => z != 0))
        {
            return; // asymmetric weights have no int8 form in the runtime: the layer's weights are quantized afresh
        }

        if (q.Axis < 0)
        {
            WeightQuantization[Builder.Desc(weights)] = Runtime.Graph.QuantizationInfo.PerTensor(q.Scales[0], 0);
        }
        else if (q.Axis == onnxOutputAxis)
        {
            WeightQuantization[Builder.Desc(weights)] = Runtime.Graph.QuantizationInfo.PerAxis(q.Scales, 0);
        }
    }

    /// <summary>ONNX values that are uint8 in the model (held as int8 with the zero point minus 128 in the runtime).</summary>
    public HashSet<string> UnsignedValues { get; } = new(StringComparer.Ordinal);

    public bool Has(string name) => _values.ContainsKey(name);

    public bool IsConst(string? name) => name is not null && _values.TryGetValue(name, out ValueSlot? v) && v.Const is not null;

    public ConstTensor Const(OnnxNode node, string name) =>
        Slot(node, name).Const ?? throw new Onnx.OnnxImportException(
            $"{node.Describe()}: input '{name}' must be a constant (an initializer or computable at conversion time)")
        {
            Node = node.Describe(),
            IsUnsupported = true,
            ConstantRequired = name,
        };

    public ConstTensor? ConstOrNull(string? name) => name is not null && _values.TryGetValue(name, out ValueSlot? v) ? v.Const : null;

    public void SetConst(string name, ConstTensor value) => _values[name] = new ValueSlot(name) { Const = value };

    public void SetOnnx(string name, TensorRef t) => _values[name] = new ValueSlot(name) { Onnx = t };

    public void SetChannelsLast(string name, TensorRef t) => _values[name] = new ValueSlot(name) { ChannelsLast = t };

    public void SetSameLayoutAs(string name, TensorRef t, bool channelsLast)
    {
        if (channelsLast)
        {
            SetChannelsLast(name, t);
        }
        else
        {
            SetOnnx(name, t);
        }
    }

    /// <summary>True when the value is (only or also) held channels-last: element-wise consumers then stay channels-last.</summary>
    public bool PrefersChannelsLast(string name) => _values.TryGetValue(name, out ValueSlot? v) && v.ChannelsLast is not null && v.Onnx is null;

    /// <summary>The value's shape in ONNX semantics.</summary>
    public int[] OnnxShape(OnnxNode node, string name)
    {
        ValueSlot v = Slot(node, name);
        if (v.Const is { } c)
        {
            return c.ShapeAsInts();
        }

        if (v.Onnx is { } o)
        {
            return Builder.Shape(o);
        }

        int[] cl = Builder.Shape(v.ChannelsLast!.Value);
        return Layout.Permute(cl, Layout.ToOnnx(cl.Length));
    }

    /// <summary>The value as a runtime tensor in ONNX layout (constants become fp32 weights; channels-last is transposed).</summary>
    public TensorRef Onnx(OnnxNode node, string name)
    {
        ValueSlot v = Slot(node, name);
        if (v.Onnx is { } o)
        {
            return o;
        }

        if (v.Const is { } c)
        {
            v.Onnx = Builder.Constant(UniqueName(name), c.AsFloats(), c.ShapeAsInts());
            return v.Onnx.Value;
        }

        TensorRef cl = v.ChannelsLast!.Value;
        v.Onnx = Transpose(cl, Layout.ToOnnx(Builder.Shape(cl).Length), name + ".nchw");
        return v.Onnx.Value;
    }

    /// <summary>The value as a runtime tensor channels-last. Only ranks 3 to 5 have a channels-last form.</summary>
    public TensorRef ChannelsLast(OnnxNode node, string name)
    {
        ValueSlot v = Slot(node, name);
        if (v.ChannelsLast is { } cl)
        {
            return cl;
        }

        if (v.Const is { } c)
        {
            int[] shape = c.ShapeAsInts();
            int[] perm = Layout.ToChannelsLast(shape.Length);
            v.ChannelsLast = Builder.Constant(UniqueName(name + ".nhwc"), Layout.PermuteData(c.AsFloats(), shape, perm), Layout.Permute(shape, perm));
            return v.ChannelsLast.Value;
        }

        TensorRef o = v.Onnx!.Value;
        int rank = Builder.Shape(o).Length;
        if (rank is < 3 or > 5)
        {
            throw node.Unsupported($"input '{name}' has rank {rank}; this op needs [N, C, spatial...] with 1 to 3 spatial axes");
        }

        v.ChannelsLast = Transpose(o, Layout.ToChannelsLast(rank), name + ".nhwc");
        return v.ChannelsLast.Value;
    }

    /// <summary>A runtime constant for weights (already laid out by the caller).</summary>
    public TensorRef Weights(string name, float[] data, int[] shape) => Builder.Constant(UniqueName(name), data, shape);

    /// <summary>Adds a runtime node with a unique name derived from the ONNX node's.</summary>
    /// <remarks>Data-movement ops on an int8 value (a pre-quantized model's) keep the value's quantization.</remarks>
    public TensorRef Emit(OpCode op, TensorRef?[] inputs, NodeAttribute[] attributes, string name) =>
        Builder.Node(op, inputs, attributes, KeptQuantization(op, inputs), UniqueName(name));

    private QuantizationInfo? KeptQuantization(OpCode op, TensorRef?[] inputs) =>
        inputs.Length > 0 && inputs[0] is { } x && Builder.Desc(x).Type == DataType.Int8 && Quantization.QuantParams.KeepsInputQuantization(op)
            ? Builder.Desc(x).Quantization
            : null;

    public string UniqueName(string name)
    {
        string candidate = name.Length == 0 ? "t" : name;
        int suffix = 1;
        while (!_names.Add(candidate))
        {
            candidate = $"{name}_{suffix++}";
        }

        return candidate;
    }

    private TensorRef Transpose(TensorRef x, int[] perm, string name)
    {
        LayoutTransposes++;
        return Builder.Node(OpCode.Transpose, [x], [NodeAttribute.IntList(AttributeKey.Perm, perm)], KeptQuantization(OpCode.Transpose, [x]), UniqueName(name));
    }

    private ValueSlot Slot(OnnxNode node, string name) =>
        _values.TryGetValue(name, out ValueSlot? v) ? v : throw node.Malformed($"input '{name}' is not produced by any earlier node, initializer or graph input");
}
