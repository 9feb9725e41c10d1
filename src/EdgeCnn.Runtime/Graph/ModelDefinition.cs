namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// A model held in managed memory, as the builder and the converter produce it and the writer consumes it.
/// Constant tensors carry their bytes here; a model read from a file keeps them in the file instead (EcnnModel).
/// </summary>
public sealed class ModelDefinition
{
    public List<TensorDesc> Tensors { get; } = [];

    /// <summary>Bytes of each constant tensor (null for activations), parallel to Tensors.</summary>
    public List<byte[]?> ConstantData { get; } = [];

    public List<NodeDesc> Nodes { get; } = [];

    public List<int> Inputs { get; } = [];

    public List<int> Outputs { get; } = [];

    /// <summary>Free-form UTF-8 key/value pairs: input preprocessing, labels, producer. Order is kept.</summary>
    public List<KeyValuePair<string, string>> Metadata { get; } = [];

    public int AddTensor(TensorDesc tensor, byte[]? constantData = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.IsConstant = constantData is not null;
        tensor.DataBytes = constantData?.LongLength ?? 0;
        Tensors.Add(tensor);
        ConstantData.Add(constantData);
        return Tensors.Count - 1;
    }
}
