using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// What the converter knows of one ONNX value: its constant value (when known at conversion time), or the runtime tensor(s)
/// holding it, in ONNX layout, channels-last layout, or both. A layout is materialized only when a consumer needs it.
/// </summary>
internal sealed class ValueSlot
{
    public ValueSlot(string name) => Name = name;

    public string Name { get; }

    public ConstTensor? Const { get; set; }

    /// <summary>The tensor in ONNX semantics ([N, C, spatial...]).</summary>
    public TensorRef? Onnx { get; set; }

    /// <summary>The same tensor channels-last ([N, spatial..., C]); only for ranks 3 to 5.</summary>
    public TensorRef? ChannelsLast { get; set; }
}
