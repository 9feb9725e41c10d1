using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Format;

/// <summary>Node records, their tensor lists and typed attributes (FORMAT.md, "Nodes" and "Attributes").</summary>
public static partial class ModelReader
{
    private static NodeDesc[] ReadNodes(ReadOnlySpan<byte> file, Tables strings, (long Offset, long Bytes, uint Count) table,
        (long Offset, long Bytes, uint Count) io, (long Offset, long Bytes, uint Count) attrs)
    {
        var nodes = new NodeDesc[table.Count];
        var records = MemoryMarshal.Cast<byte, NodeRecord>(file.Slice((int)table.Offset, (int)table.Bytes));
        var ioValues = MemoryMarshal.Cast<byte, int>(file.Slice((int)io.Offset, (int)io.Bytes));
        ReadOnlySpan<byte> attrBytes = file.Slice((int)attrs.Offset, (int)attrs.Bytes);
        for (int k = 0; k < records.Length; k++)
        {
            NodeRecord r = records[k];
            long at = table.Offset + (k * (long)FormatLayout.NodeRecordBytes);
            if (r.Reserved0 != 0 || r.Reserved1 != 0)
            {
                throw new EcnnFormatException(at, "node.reserved", $"node {k}: reserved fields must be 0");
            }

            string name = strings.Get(r.NameOffset, r.NameBytes, at + 4, "node.name");
            if (!Enum.IsDefined((OpCode)r.OpCode))
            {
                throw new EcnnFormatException(at, "node.op", $"node {k} '{name}': unknown op code {r.OpCode}");
            }

            long count = (long)r.InputCount + r.OutputCount;
            if (r.IoIndex > (uint)ioValues.Length || count > ioValues.Length - r.IoIndex)
            {
                throw new EcnnFormatException(at + 12, "node.io", $"node {k} '{name}': tensor list {r.IoIndex}+{count} is outside the {ioValues.Length} entries");
            }

            int[] inputs = ioValues.Slice((int)r.IoIndex, r.InputCount).ToArray();
            int[] outputs = ioValues.Slice((int)r.IoIndex + r.InputCount, r.OutputCount).ToArray();
            if (r.AttributeOffset > (uint)attrBytes.Length || r.AttributeBytes > (uint)attrBytes.Length - r.AttributeOffset)
            {
                throw new EcnnFormatException(at + 20, "node.attributes", $"node {k} '{name}': attributes {r.AttributeOffset}+{r.AttributeBytes} outside the section");
            }

            NodeAttribute[] attributes = ReadAttributes(attrBytes.Slice((int)r.AttributeOffset, (int)r.AttributeBytes), attrs.Offset + r.AttributeOffset, k, name);
            nodes[k] = new NodeDesc((OpCode)r.OpCode, name, inputs, outputs, attributes) { FileOffset = at };
        }

        return nodes;
    }

    private static NodeAttribute[] ReadAttributes(ReadOnlySpan<byte> bytes, long baseOffset, int node, string name)
    {
        const uint maxValues = 1 << 16;
        var list = new List<NodeAttribute>();
        int pos = 0;
        while (pos < bytes.Length)
        {
            long at = baseOffset + pos;
            if (bytes.Length - pos < FormatLayout.AttributeHeaderBytes)
            {
                throw new EcnnFormatException(at, "node.attributes", $"node {node} '{name}': attribute header truncated");
            }

            AttributeHeader h = MemoryMarshal.Read<AttributeHeader>(bytes[pos..]);
            pos += FormatLayout.AttributeHeaderBytes;
            if (h.Type is < (byte)AttributeType.Int or > (byte)AttributeType.Floats || h.Reserved != 0)
            {
                throw new EcnnFormatException(at, "node.attributes", $"node {node} '{name}': attribute type {h.Type} is unknown");
            }

            if (!Enum.IsDefined((AttributeKey)h.Key))
            {
                throw new EcnnFormatException(at, "node.attributes", $"node {node} '{name}': attribute key {h.Key} is unknown");
            }

            var type = (AttributeType)h.Type;
            bool single = type is AttributeType.Int or AttributeType.Float;
            if ((single && h.Count != 1) || h.Count > maxValues || h.Count * 4L > bytes.Length - pos)
            {
                throw new EcnnFormatException(at, "node.attributes", $"node {node} '{name}': attribute {(AttributeKey)h.Key} has a bad value count {h.Count}");
            }

            var key = (AttributeKey)h.Key;
            foreach (NodeAttribute a in list)
            {
                if (a.Key == key)
                {
                    throw new EcnnFormatException(at, "node.attributes", $"node {node} '{name}': attribute {key} appears twice");
                }
            }

            ReadOnlySpan<byte> values = bytes.Slice(pos, (int)h.Count * 4);
            pos += values.Length;
            list.Add(type switch
            {
                AttributeType.Int => NodeAttribute.Int(key, MemoryMarshal.Read<int>(values)),
                AttributeType.Ints => NodeAttribute.IntList(key, MemoryMarshal.Cast<byte, int>(values).ToArray()),
                AttributeType.Float => NodeAttribute.Float(key, ReadFinite(values, at, node, name, key)[0]),
                _ => NodeAttribute.FloatList(key, ReadFinite(values, at, node, name, key)),
            });
        }

        return [.. list];
    }

    private static float[] ReadFinite(ReadOnlySpan<byte> values, long at, int node, string name, AttributeKey key)
    {
        float[] f = MemoryMarshal.Cast<byte, float>(values).ToArray();
        foreach (float v in f)
        {
            if (float.IsNaN(v))
            {
                throw new EcnnFormatException(at, "node.attributes", $"node {node} '{name}': attribute {key} holds NaN");
            }
        }

        return f;
    }
}
