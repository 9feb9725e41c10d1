namespace EdgeCnn.Runtime.Graph;

/// <summary>A tensor of a model: its type, static shape, quantization, and for constants where its bytes are.</summary>
public sealed class TensorDesc
{
    public TensorDesc(string name, DataType type, int[] shape, QuantizationInfo? quantization = null)
    {
        Name = name;
        Type = type;
        Shape = shape;
        Quantization = quantization;
    }

    public string Name { get; }

    public DataType Type { get; }

    /// <summary>Static shape; activations are channels-last (e.g. [N, H, W, C]).</summary>
    public int[] Shape { get; }

    public QuantizationInfo? Quantization { get; }

    public bool IsConstant { get; internal set; }

    /// <summary>For constants: offset of the data from the start of the Weights section.</summary>
    public long DataOffset { get; internal set; }

    /// <summary>For constants: data length in bytes.</summary>
    public long DataBytes { get; internal set; }

    public long ElementCount => ShapeMath.ElementCount(Shape);

    public long ByteCount => ElementCount * Type.SizeInBytes();

    public override string ToString() => $"{Name} {Type.Name()}[{string.Join(',', Shape)}]";
}
