using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Format;

/// <summary>Writes a ModelDefinition as an .ecnn file, exactly as FORMAT.md lays it out.</summary>
public static class ModelWriter
{
    public static byte[] Write(ModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        FormatLayout.EnsureLayout();
        var strings = new StringTable();
        var tensors = new TensorRecord[model.Tensors.Count];
        var quant = new List<QuantRecord>();
        var weights = new MemoryStream();
        for (int i = 0; i < model.Tensors.Count; i++)
        {
            tensors[i] = MakeTensorRecord(model.Tensors[i], model.ConstantData[i], strings, quant, weights);
        }

        var io = new List<int>();
        var attributes = new MemoryStream();
        var nodes = new NodeRecord[model.Nodes.Count];
        for (int i = 0; i < model.Nodes.Count; i++)
        {
            NodeDesc n = model.Nodes[i];
            (uint nameOffset, uint nameBytes) = strings.Add(n.Name);
            long attrStart = attributes.Length;
            WriteAttributes(attributes, n.Attributes);
            nodes[i] = new NodeRecord
            {
                OpCode = (ushort)n.Op,
                NameOffset = nameOffset,
                NameBytes = nameBytes,
                IoIndex = (uint)io.Count,
                InputCount = checked((ushort)n.Inputs.Length),
                OutputCount = checked((ushort)n.Outputs.Length),
                AttributeOffset = checked((uint)attrStart),
                AttributeBytes = checked((uint)(attributes.Length - attrStart)),
            };
            io.AddRange(n.Inputs);
            io.AddRange(n.Outputs);
        }

        var graphIo = new List<int> { model.Inputs.Count, model.Outputs.Count };
        graphIo.AddRange(model.Inputs);
        graphIo.AddRange(model.Outputs);

        var metadata = new MetadataRecord[model.Metadata.Count];
        for (int i = 0; i < metadata.Length; i++)
        {
            (uint ko, uint kb) = strings.Add(model.Metadata[i].Key);
            (uint vo, uint vb) = strings.Add(model.Metadata[i].Value);
            metadata[i] = new MetadataRecord { KeyOffset = ko, KeyBytes = kb, ValueOffset = vo, ValueBytes = vb };
        }

        // Section payloads in file order. Weights go last so that their 64-byte alignment costs at most one pad.
        var sections = new (SectionKind Kind, byte[] Bytes, uint Count)[]
        {
            (SectionKind.Strings, strings.ToArray(), 0),
            (SectionKind.Tensors, MemoryMarshal.AsBytes(tensors.AsSpan()).ToArray(), (uint)tensors.Length),
            (SectionKind.Nodes, MemoryMarshal.AsBytes(nodes.AsSpan()).ToArray(), (uint)nodes.Length),
            (SectionKind.NodeIo, MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(io)).ToArray(), (uint)io.Count),
            (SectionKind.Attributes, attributes.ToArray(), 0),
            (SectionKind.Quant, MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(quant)).ToArray(), (uint)quant.Count),
            (SectionKind.GraphIo, MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(graphIo)).ToArray(), (uint)graphIo.Count),
            (SectionKind.Metadata, MemoryMarshal.AsBytes(metadata.AsSpan()).ToArray(), (uint)metadata.Length),
            (SectionKind.Weights, weights.ToArray(), 0),
        };

        long offset = FormatLayout.HeaderBytes;
        long tableOffset = offset;
        offset += sections.Length * FormatLayout.SectionEntryBytes;
        var entries = new SectionEntry[sections.Length];
        for (int i = 0; i < sections.Length; i++)
        {
            int align = sections[i].Kind == SectionKind.Weights ? FormatLayout.WeightAlignment : FormatLayout.SectionAlignment;
            offset = AlignUp(offset, align);
            entries[i] = new SectionEntry
            {
                Kind = sections[i].Kind,
                Offset = (ulong)offset,
                Bytes = (ulong)sections[i].Bytes.Length,
                Count = sections[i].Count,
            };
            offset += sections[i].Bytes.Length;
        }

        byte[] file = new byte[offset];
        var header = new FileHeader
        {
            Magic = FormatLayout.Magic,
            VersionMajor = FormatLayout.VersionMajor,
            VersionMinor = FormatLayout.VersionMinor,
            HeaderBytes = FormatLayout.HeaderBytes,
            SectionCount = (uint)sections.Length,
            FileBytes = (ulong)file.Length,
            SectionTableOffset = (ulong)tableOffset,
        };
        MemoryMarshal.Write(file, in header);
        MemoryMarshal.AsBytes(entries.AsSpan()).CopyTo(file.AsSpan((int)tableOffset));
        for (int i = 0; i < sections.Length; i++)
        {
            sections[i].Bytes.CopyTo(file.AsSpan((int)entries[i].Offset));
        }

        Seal(file);
        return file;
    }

    /// <summary>Computes the SHA-256 digest over everything but the digest field and stores it in the header.</summary>
    public static void Seal(Span<byte> file)
    {
        ComputeDigest(file, file.Slice(FormatLayout.DigestOffset, FormatLayout.DigestBytes));
    }

    internal static void ComputeDigest(ReadOnlySpan<byte> file, Span<byte> digest)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(file[..FormatLayout.DigestOffset]);
        sha.AppendData(file[FormatLayout.HeaderBytes..]);
        sha.GetHashAndReset(digest);
    }

    private static TensorRecord MakeTensorRecord(TensorDesc t, byte[]? data, StringTable strings, List<QuantRecord> quant, MemoryStream weights)
    {
        if (t.Shape.Length > FormatLayout.MaxRank)
        {
            throw new ArgumentException($"tensor '{t.Name}' has rank {t.Shape.Length}; the format allows {FormatLayout.MaxRank}", nameof(t));
        }

        (uint nameOffset, uint nameBytes) = strings.Add(t.Name);
        var r = new TensorRecord
        {
            NameOffset = nameOffset,
            NameBytes = nameBytes,
            DataType = (byte)t.Type,
            Rank = (byte)t.Shape.Length,
            QuantAxis = -1,
        };
        unsafe
        {
            for (int d = 0; d < t.Shape.Length; d++)
            {
                r.Dims[d] = t.Shape[d];
            }
        }

        if (t.Quantization is { } q)
        {
            r.QuantKind = q.IsPerTensor ? (byte)1 : (byte)2;
            r.QuantAxis = q.Axis;
            r.QuantIndex = (uint)quant.Count;
            r.QuantCount = (uint)q.Scales.Length;
            for (int i = 0; i < q.Scales.Length; i++)
            {
                quant.Add(new QuantRecord { Scale = q.Scales[i], ZeroPoint = q.ZeroPoints[i] });
            }
        }

        if (data is not null)
        {
            long at = AlignUp(weights.Length, FormatLayout.WeightAlignment);
            weights.SetLength(at);
            weights.Position = at;
            weights.Write(data);
            r.Flags = 1;
            r.DataOffset = (ulong)at;
            r.DataBytes = (ulong)data.LongLength;
        }

        return r;
    }

    private static void WriteAttributes(MemoryStream s, NodeAttribute[] attributes)
    {
        Span<byte> header = stackalloc byte[FormatLayout.AttributeHeaderBytes];
        foreach (NodeAttribute a in attributes)
        {
            var h = new AttributeHeader { Key = (ushort)a.Key, Type = (byte)a.Type, Count = (uint)a.Count };
            MemoryMarshal.Write(header, in h);
            s.Write(header);
            if (a.Type is AttributeType.Int or AttributeType.Ints)
            {
                s.Write(MemoryMarshal.AsBytes(a.Ints.AsSpan()));
            }
            else
            {
                s.Write(MemoryMarshal.AsBytes(a.Floats.AsSpan()));
            }
        }
    }

    private static long AlignUp(long value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private sealed class StringTable
    {
        private readonly MemoryStream _bytes = new();
        private readonly Dictionary<string, (uint, uint)> _seen = new(StringComparer.Ordinal);

        public (uint Offset, uint Bytes) Add(string s)
        {
            if (_seen.TryGetValue(s, out (uint, uint) found))
            {
                return found;
            }

            byte[] utf8 = Encoding.UTF8.GetBytes(s);
            var entry = ((uint)_bytes.Length, (uint)utf8.Length);
            _bytes.Write(utf8);
            _seen.Add(s, entry);
            return entry;
        }

        public byte[] ToArray() => _bytes.ToArray();
    }
}
