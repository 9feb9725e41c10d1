namespace EdgeCnn.Runtime.Graph;

/// <summary>A graph input or output of a planned session: what it is and where its bytes are.</summary>
public sealed unsafe class SessionTensor
{
    internal SessionTensor(TensorDesc desc, byte* data)
    {
        Desc = desc;
        Data = data;
    }

    public TensorDesc Desc { get; }

    public string Name => Desc.Name;

    public DataType Type => Desc.Type;

    public IReadOnlyList<int> Shape => Desc.Shape;

    public int ElementCount => (int)Desc.ElementCount;

    internal byte* Data { get; }
}
