using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Quantization;

/// <summary>Whether a layer runs in int8 or stayed fp32.</summary>
public enum LayerPrecision
{
    Int8,
    Fp32,
}

/// <summary>
/// One layer (node of the fp32 model) after quantization: its precision and why, the range calibration chose for its
/// output and the int8 quantization of that output.
/// </summary>
public sealed record QuantizedLayer(
    int Node,
    string Name,
    OpCode Op,
    LayerPrecision Precision,
    string? Reason,
    int Fp32Tensor,          // index of the layer's output in the fp32 model
    int MixedTensor,         // index of the tensor holding the same value in the quantized model (int8 or fp32)
    float ObservedMin,
    float ObservedMax,
    float RangeLow,          // the range the calibration method chose
    float RangeHigh,
    float Scale,             // int8 output quantization (0 when fp32)
    int ZeroPoint);

/// <summary>The quantized model with what the quantizer decided for every layer.</summary>
/// <param name="Int8Of">By fp32-model tensor: the quantized model's int8 tensor holding its value, or -1.</param>
/// <param name="FloatOf">By fp32-model tensor: the quantized model's fp32 tensor holding its value, or -1.</param>
public sealed record QuantizedModel(ModelDefinition Definition, IReadOnlyList<QuantizedLayer> Layers, int QuantizeNodes, int DequantizeNodes,
    int[] Int8Of, int[] FloatOf);

/// <summary>What to quantize and how.</summary>
public sealed class QuantizerOptions
{
    public CalibrationMethod Method { get; init; } = Int8Conversion.DefaultMethod;

    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the share of values (percent) inside the range.</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>Layers (fp32 model node names) kept in fp32, with the reason shown in the report.</summary>
    public IReadOnlyDictionary<string, string> KeepFloat { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
