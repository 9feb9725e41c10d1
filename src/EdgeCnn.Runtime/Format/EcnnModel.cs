using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Format;

/// <summary>
/// A verified model file. Tables are parsed into small managed objects at load; weights stay in the file's bytes and are
/// handed out as spans without copying. Dispose frees (or unmaps) the bytes.
/// </summary>
public sealed unsafe class EcnnModel : IDisposable
{
    internal EcnnModel(ModelBuffer buffer, long weightsOffset, TensorDesc[] tensors, NodeDesc[] nodes, int[] inputs, int[] outputs,
        KeyValuePair<string, string>[] metadata, ushort versionMinor)
    {
        Buffer = buffer;
        WeightsOffset = weightsOffset;
        Tensors = tensors;
        Nodes = nodes;
        Inputs = inputs;
        Outputs = outputs;
        Metadata = metadata;
        VersionMinor = versionMinor;
    }

    public ModelBuffer Buffer { get; }

    public long WeightsOffset { get; }

    public IReadOnlyList<TensorDesc> Tensors { get; }

    public IReadOnlyList<NodeDesc> Nodes { get; }

    public IReadOnlyList<int> Inputs { get; }

    public IReadOnlyList<int> Outputs { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    public ushort VersionMinor { get; }

    public long FileBytes => Buffer.Length;

    /// <summary>Loads and verifies a file by memory-mapping it.</summary>
    public static EcnnModel Load(string path) => ModelReader.Read(ModelBuffer.Map(path));

    /// <summary>Loads and verifies a model from bytes (copied once into aligned native memory).</summary>
    public static EcnnModel Load(ReadOnlySpan<byte> bytes) => ModelReader.Read(ModelBuffer.CopyOf(bytes));

    public string? GetMetadata(string key)
    {
        foreach (KeyValuePair<string, string> kv in Metadata)
        {
            if (string.Equals(kv.Key, key, StringComparison.Ordinal))
            {
                return kv.Value;
            }
        }

        return null;
    }

    public int FindTensor(string name)
    {
        for (int i = 0; i < Tensors.Count; i++)
        {
            if (string.Equals(Tensors[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Pointer to a constant tensor's bytes inside the file.</summary>
    public byte* ConstantPointer(int tensor)
    {
        TensorDesc t = Tensors[tensor];
        if (!t.IsConstant)
        {
            throw new InvalidOperationException($"tensor '{t.Name}' is not a constant");
        }

        return Buffer.Pointer + WeightsOffset + t.DataOffset;
    }

    public ReadOnlySpan<byte> ConstantBytes(int tensor) => new(ConstantPointer(tensor), checked((int)Tensors[tensor].DataBytes));

    public ReadOnlySpan<T> Constant<T>(int tensor)
        where T : unmanaged =>
        new(ConstantPointer(tensor), checked((int)(Tensors[tensor].DataBytes / sizeof(T))));

    public void Dispose() => Buffer.Dispose();
}
