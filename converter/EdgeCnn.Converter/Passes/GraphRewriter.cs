using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Passes;

/// <summary>Small queries and edits on a runtime ModelDefinition shared by the optimization passes.</summary>
internal static class GraphRewriter
{
    /// <summary>The nodes reading a tensor.</summary>
    public static List<NodeDesc> Consumers(ModelDefinition m, int tensor) =>
        m.Nodes.Where(n => n.Inputs.Contains(tensor)).ToList();

    public static NodeDesc? Producer(ModelDefinition m, int tensor) => m.Nodes.FirstOrDefault(n => n.Outputs.Contains(tensor));

    /// <summary>A tensor that only one node reads and that is not a graph output: safe to fuse away.</summary>
    public static bool IsPrivate(ModelDefinition m, int tensor) => !m.Outputs.Contains(tensor) && Consumers(m, tensor).Count == 1;

    public static float[] Floats(ModelDefinition m, int tensor) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(m.ConstantData[tensor]).ToArray();

    public static int AddConstant(ModelDefinition m, string name, float[] data, int[] shape)
    {
        string unique = name;
        for (int i = 1; m.Tensors.Any(t => string.Equals(t.Name, unique, StringComparison.Ordinal)); i++)
        {
            unique = $"{name}_{i}";
        }

        return m.AddTensor(new TensorDesc(unique, DataType.Float32, shape),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
    }

    public static NodeDesc With(NodeDesc n, int[]? inputs = null, int[]? outputs = null, NodeAttribute[]? attributes = null) =>
        new(n.Op, n.Name, inputs ?? n.Inputs, outputs ?? n.Outputs, attributes ?? n.Attributes);

    /// <summary>Drops tensors nothing references (folded weights, fused intermediates) and renumbers the rest.</summary>
    public static ModelDefinition Compact(ModelDefinition m)
    {
        var used = new HashSet<int>(m.Inputs.Concat(m.Outputs).Concat(m.Nodes.SelectMany(n => n.Inputs.Concat(n.Outputs))).Where(i => i >= 0));
        var map = new int[m.Tensors.Count];
        var result = new ModelDefinition();
        for (int t = 0; t < m.Tensors.Count; t++)
        {
            map[t] = used.Contains(t) ? result.AddTensor(m.Tensors[t], m.ConstantData[t]) : -1;
        }

        int Map(int t) => t < 0 ? t : map[t];
        foreach (NodeDesc n in m.Nodes)
        {
            result.Nodes.Add(new NodeDesc(n.Op, n.Name, n.Inputs.Select(Map).ToArray(), n.Outputs.Select(Map).ToArray(), n.Attributes));
        }

        foreach (int i in m.Inputs)
        {
            result.Inputs.Add(map[i]);
        }

        foreach (int o in m.Outputs)
        {
            result.Outputs.Add(map[o]);
        }

        foreach (KeyValuePair<string, string> kv in m.Metadata)
        {
            result.Metadata.Add(kv);
        }

        return result;
    }
}
