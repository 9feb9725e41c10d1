using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Shape and type inference for one node. The operator states each output's type and shape; when the model declares the
/// output (a file, or a builder call with a declared quantization) the two must agree.
/// </summary>
public sealed class InferContext : NodeContext
{
    private readonly TensorDesc?[] _declaredOutputs;

    public InferContext(NodeDesc node, TensorDesc?[] inputs, TensorDesc?[] declaredOutputs)
        : base(node, inputs)
    {
        _declaredOutputs = declaredOutputs;
        OutputTypes = new DataType[declaredOutputs.Length];
        OutputShapes = new int[declaredOutputs.Length][];
    }

    public int OutputCount => _declaredOutputs.Length;

    public DataType[] OutputTypes { get; }

    public int[][] OutputShapes { get; }

    /// <summary>The declared output (null in builder mode before the tensor exists).</summary>
    public TensorDesc? DeclaredOutput(int i) => _declaredOutputs[i];

    public void SetOutput(int i, DataType type, int[] shape)
    {
        foreach (int d in shape)
        {
            if (d < 1)
            {
                throw Fail($"output {i} would have shape {ShapeMath.Format(shape)}; every dim must be >= 1");
            }
        }

        if (shape.Length > Format.FormatLayout.MaxRank)
        {
            throw Fail($"output {i} would have rank {shape.Length}; at most {Format.FormatLayout.MaxRank} is supported");
        }

        _ = ShapeMath.ElementCount(shape);
        OutputTypes[i] = type;
        OutputShapes[i] = shape;
        if (_declaredOutputs[i] is { } declared)
        {
            if (declared.Type != type)
            {
                throw Fail($"output {i} '{declared.Name}' is declared {declared.Type.Name()} but the op produces {type.Name()}");
            }

            if (!ShapeMath.SameShape(declared.Shape, shape))
            {
                throw Fail($"output {i} '{declared.Name}' is declared {ShapeMath.Format(declared.Shape)} but the op produces {ShapeMath.Format(shape)}");
            }
        }
    }

    /// <summary>Requires the input to be of one of the given ranks.</summary>
    public TensorDesc RequireRank(int i, int minRank, int maxRank)
    {
        TensorDesc t = Input(i);
        if (t.Shape.Length < minRank || t.Shape.Length > maxRank)
        {
            throw Fail(minRank == maxRank
                ? $"input {i} '{t.Name}' must have rank {minRank}, has {t.Shape.Length}"
                : $"input {i} '{t.Name}' must have rank {minRank}..{maxRank}, has {t.Shape.Length}");
        }

        return t;
    }

    public TensorDesc RequireType(int i, params DataType[] types)
    {
        TensorDesc t = Input(i);
        if (Array.IndexOf(types, t.Type) < 0)
        {
            throw Fail($"input {i} '{t.Name}' is {t.Type.Name()}; allowed: {string.Join(", ", types.Select(x => x.Name()))}");
        }

        return t;
    }

    public TensorDesc RequireConstant(int i)
    {
        TensorDesc t = Input(i);
        if (!t.IsConstant)
        {
            throw Fail($"input {i} '{t.Name}' must be a constant (weights)");
        }

        return t;
    }

    /// <summary>An int8 activation must carry one scale and zero point.</summary>
    public QuantizationInfo RequirePerTensorQuant(TensorDesc t, string role)
    {
        if (t.Quantization is not { IsPerTensor: true } q)
        {
            throw Fail($"int8 {role} '{t.Name}' needs per-tensor quantization (one scale and zero point)");
        }

        return q;
    }

    /// <summary>The declared int8 output's quantization (required for int8 outputs).</summary>
    public QuantizationInfo? OutputQuant(int i) => _declaredOutputs[i]?.Quantization;
}
