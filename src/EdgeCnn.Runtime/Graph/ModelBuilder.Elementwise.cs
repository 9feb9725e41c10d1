namespace EdgeCnn.Runtime.Graph;

/// <summary>Binary element-wise ops with numpy broadcasting. int8 outputs need outputQuantization.</summary>
public sealed partial class ModelBuilder
{
    public TensorRef Add(TensorRef a, TensorRef b, QuantizationInfo? outputQuantization = null, string? name = null) =>
        Node(OpCode.Add, [a, b], null, outputQuantization, name);

    public TensorRef Sub(TensorRef a, TensorRef b, QuantizationInfo? outputQuantization = null, string? name = null) =>
        Node(OpCode.Sub, [a, b], null, outputQuantization, name);

    public TensorRef Mul(TensorRef a, TensorRef b, QuantizationInfo? outputQuantization = null, string? name = null) =>
        Node(OpCode.Mul, [a, b], null, outputQuantization, name);

    public TensorRef Div(TensorRef a, TensorRef b, QuantizationInfo? outputQuantization = null, string? name = null) =>
        Node(OpCode.Div, [a, b], null, outputQuantization, name);

    /// <summary>y = x &lt; 0 ? slope * x : x; slope broadcasts to x (e.g. [C] for channels-last).</summary>
    public TensorRef PRelu(TensorRef x, TensorRef slope, QuantizationInfo? outputQuantization = null, string? name = null) =>
        Node(OpCode.PRelu, [x, slope], null, outputQuantization, name);
}
