namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// A model held in managed memory, as the builder and the converter produce it and the writer consumes it.
/// Constant tensors carry their bytes here; a model read from a file keeps them in the file instead (EcnnModel).
/// </summary>
public sealed class ModelDefinition
{
    public IList<TensorDesc> Tensors { get; } = new List<TensorDesc>();

    /// <summary>Bytes of each constant tensor (null for activations), parallel to Tensors.</summary>
    public IList<byte[]?> ConstantData { get; } = new List<byte[]?>();

    public IList<NodeDesc> Nodes { get; } = new List<NodeDesc>();

    public IList<int> Inputs { get; } = new List<int>();

    public IList<int> Outputs { get; } = new List<int>();

    /// <summary>Free-form UTF-8 key/value pairs: input preprocessing, labels, producer. Order is kept.</summary>
    public IList<KeyValuePair<string, string>> Metadata { get; } = new List<KeyValuePair<string, string>>();

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
