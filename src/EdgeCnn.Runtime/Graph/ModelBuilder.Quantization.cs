namespace EdgeCnn.Runtime.Graph;

/// <summary>Quantize (fp32 to int8) and Dequantize (int8/int32 to fp32) at mixed-precision boundaries.</summary>
public sealed partial class ModelBuilder
{
    /// <summary>fp32 to int8 with the given per-tensor output quantization.</summary>
    public TensorRef Quantize(TensorRef x, QuantizationInfo outputQuantization, string? name = null) =>
        Node(OpCode.Quantize, [x], null, outputQuantization, name);

    /// <summary>int8 or int32 to fp32 with the input's own quantization.</summary>
    public TensorRef Dequantize(TensorRef x, string? name = null) => Node(OpCode.Dequantize, [x], null, null, name);
}
