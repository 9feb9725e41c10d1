using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Format;

/// <summary>
/// Verifies every byte of an .ecnn file before anything trusts it (FORMAT.md, "Verification"), then builds the model's
/// tables. Any violation throws EcnnFormatException with the offset and rule; nothing else escapes for any input.
/// </summary>
public static class ModelReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Verifies the buffer and returns the model, which takes ownership of it (disposed on failure).</summary>
    public static EcnnModel Read(ModelBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        try
        {
            return Parse(buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Verifies bytes without keeping them: throws on the first violated rule.</summary>
    public static void Verify(ReadOnlySpan<byte> bytes)
    {
        using EcnnModel model = EcnnModel.Load(bytes);
    }

    private static EcnnModel Parse(ModelBuffer buffer)
    {
        FormatLayout.EnsureLayout();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(".ecnn is little-endian; big-endian hosts are not supported");
        }

        ReadOnlySpan<byte> file = buffer.Span;
        if (file.Length < FormatLayout.HeaderBytes)
        {
            throw new EcnnFormatException(0, "file.size", $"file is {file.Length} bytes; the header alone is {FormatLayout.HeaderBytes}");
        }

        FileHeader header = MemoryMarshal.Read<FileHeader>(file);
        if (header.Magic != FormatLayout.Magic)
        {
            throw new EcnnFormatException(0, "header.magic", $"magic is 0x{header.Magic:X8}, expected \"ECNN\" (0x{FormatLayout.Magic:X8})");
        }

        if (header.VersionMajor != FormatLayout.VersionMajor)
        {
            throw new EcnnFormatException(4, "header.version",
                $"format version {header.VersionMajor}.{header.VersionMinor}; this reader reads major version {FormatLayout.VersionMajor}");
        }

        if (header.HeaderBytes != FormatLayout.HeaderBytes)
        {
            throw new EcnnFormatException(8, "header.size", $"header size {header.HeaderBytes}, expected {FormatLayout.HeaderBytes}");
        }

        if (header.FileBytes != (ulong)file.Length)
        {
            throw new EcnnFormatException(16, "header.file-bytes", $"header says {header.FileBytes} bytes, file has {file.Length} (truncated or padded)");
        }

        VerifyDigest(file);

        SectionEntry[] sections = ReadSections(file, header);
        var spans = new (long Offset, long Bytes, uint Count)[10];
        foreach (SectionEntry s in sections)
        {
            if ((uint)s.Kind < spans.Length)
            {
                spans[(int)s.Kind] = ((long)s.Offset, (long)s.Bytes, s.Count);
            }
        }

        var strings = spans[(int)SectionKind.Strings];
        var reader = new Tables(file, strings.Offset, strings.Bytes);

        TensorDesc[] tensors = ReadTensors(file, reader, spans[(int)SectionKind.Tensors], spans[(int)SectionKind.Quant], spans[(int)SectionKind.Weights]);
        NodeDesc[] nodes = ReadNodes(file, reader, spans[(int)SectionKind.Nodes], spans[(int)SectionKind.NodeIo], spans[(int)SectionKind.Attributes]);
        (int[] inputs, int[] outputs) = ReadGraphIo(file, spans[(int)SectionKind.GraphIo]);
        KeyValuePair<string, string>[] metadata = ReadMetadata(file, reader, spans[(int)SectionKind.Metadata]);
        GraphVerifier.Verify(tensors, nodes, inputs, outputs, spans[(int)SectionKind.GraphIo].Offset);
        return new EcnnModel(buffer, spans[(int)SectionKind.Weights].Offset, tensors, nodes, inputs, outputs, metadata, header.VersionMinor);
    }

    private static void VerifyDigest(ReadOnlySpan<byte> file)
    {
        Span<byte> digest = stackalloc byte[FormatLayout.DigestBytes];
        ModelWriter.ComputeDigest(file, digest);
        if (!CryptographicOperations.FixedTimeEquals(digest, file.Slice(FormatLayout.DigestOffset, FormatLayout.DigestBytes)))
        {
            throw new EcnnFormatException(FormatLayout.DigestOffset, "digest", "SHA-256 digest does not match the content (corrupt or modified file)");
        }
    }

    private static SectionEntry[] ReadSections(ReadOnlySpan<byte> file, FileHeader header)
    {
        const int maxSections = 64;
        long tableOffset = (long)Math.Min(header.SectionTableOffset, long.MaxValue);
        if (header.SectionCount == 0 || header.SectionCount > maxSections)
        {
            throw new EcnnFormatException(12, "header.sections", $"section count {header.SectionCount}; expected 1..{maxSections}");
        }

        long tableBytes = header.SectionCount * (long)FormatLayout.SectionEntryBytes;
        if (tableOffset < FormatLayout.HeaderBytes || tableOffset % FormatLayout.SectionAlignment != 0 || tableOffset > file.Length - tableBytes)
        {
            throw new EcnnFormatException(24, "header.section-table", $"section table at {header.SectionTableOffset} (+{tableBytes} bytes) is misaligned or outside the file");
        }

        var sections = MemoryMarshal.Cast<byte, SectionEntry>(file.Slice((int)tableOffset, (int)tableBytes)).ToArray();
        var seen = new bool[10];
        var ranges = new List<(long Start, long End, long EntryOffset)>();
        for (int i = 0; i < sections.Length; i++)
        {
            SectionEntry s = sections[i];
            long at = tableOffset + (i * (long)FormatLayout.SectionEntryBytes);
            bool known = s.Kind >= SectionKind.Strings && s.Kind <= SectionKind.Weights;
            if (!known && (s.Flags & SectionFlags.Optional) == SectionFlags.None)
            {
                throw new EcnnFormatException(at, "section.unknown", $"section kind {(uint)s.Kind} is unknown and not marked optional");
            }

            if ((s.Flags & ~SectionFlags.Optional) != SectionFlags.None || s.Reserved != 0)
            {
                throw new EcnnFormatException(at, "section.reserved", "section flags or reserved field has undefined bits set");
            }

            if (s.Offset > (ulong)file.Length || s.Bytes > (ulong)file.Length - s.Offset)
            {
                throw new EcnnFormatException(at, "section.bounds", $"section {s.Kind} at {s.Offset} (+{s.Bytes} bytes) is outside the file of {file.Length} bytes");
            }

            int align = s.Kind == SectionKind.Weights ? FormatLayout.WeightAlignment : FormatLayout.SectionAlignment;
            if (s.Offset % (ulong)align != 0 || s.Offset < (ulong)(tableOffset + tableBytes))
            {
                throw new EcnnFormatException(at, "section.align", $"section {s.Kind} at {s.Offset} must be {align}-byte aligned and after the section table");
            }

            foreach ((long start, long end, long other) in ranges)
            {
                if ((long)s.Offset < end && start < (long)(s.Offset + s.Bytes))
                {
                    throw new EcnnFormatException(at, "section.overlap", $"section {s.Kind} overlaps the section at entry {other}");
                }
            }

            ranges.Add(((long)s.Offset, (long)(s.Offset + s.Bytes), at));
            if (!known)
            {
                continue;
            }

            if (seen[(int)s.Kind])
            {
                throw new EcnnFormatException(at, "section.duplicate", $"section {s.Kind} appears twice");
            }

            seen[(int)s.Kind] = true;
            int record = RecordBytes(s.Kind);
            if (record > 0 ? s.Bytes != (ulong)s.Count * (ulong)record : s.Count != 0)
            {
                throw new EcnnFormatException(at, "section.size", $"section {s.Kind}: {s.Bytes} bytes do not hold {s.Count} records of {record} bytes");
            }
        }

        for (var k = SectionKind.Strings; k <= SectionKind.Weights; k++)
        {
            if (!seen[(int)k])
            {
                throw new EcnnFormatException(24, "section.missing", $"required section {k} is missing");
            }
        }

        return sections;
    }

    private static int RecordBytes(SectionKind kind) => kind switch
    {
        SectionKind.Tensors => FormatLayout.TensorRecordBytes,
        SectionKind.Nodes => FormatLayout.NodeRecordBytes,
        SectionKind.NodeIo => 4,
        SectionKind.Quant => FormatLayout.QuantRecordBytes,
        SectionKind.GraphIo => 4,
        SectionKind.Metadata => FormatLayout.MetadataRecordBytes,
        _ => 0,
    };

    private static unsafe TensorDesc[] ReadTensors(ReadOnlySpan<byte> file, Tables strings, (long Offset, long Bytes, uint Count) table,
        (long Offset, long Bytes, uint Count) quant, (long Offset, long Bytes, uint Count) weights)
    {
        var tensors = new TensorDesc[table.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var records = MemoryMarshal.Cast<byte, TensorRecord>(file.Slice((int)table.Offset, (int)table.Bytes));
        var quants = MemoryMarshal.Cast<byte, QuantRecord>(file.Slice((int)quant.Offset, (int)quant.Bytes));
        for (int i = 0; i < records.Length; i++)
        {
            TensorRecord r = records[i];
            long at = table.Offset + (i * (long)FormatLayout.TensorRecordBytes);
            string name = strings.Get(r.NameOffset, r.NameBytes, at, "tensor.name");
            if (name.Length == 0 || !names.Add(name))
            {
                throw new EcnnFormatException(at, "tensor.name", $"tensor {i}: name '{name}' is empty or used twice");
            }

            if (!DataTypeExtensions.IsDefined(r.DataType))
            {
                throw new EcnnFormatException(at + 8, "tensor.dtype", $"tensor {i} '{name}': data type code {r.DataType} is unknown");
            }

            if (r.Rank > FormatLayout.MaxRank)
            {
                throw new EcnnFormatException(at + 9, "tensor.rank", $"tensor {i} '{name}': rank {r.Rank} exceeds {FormatLayout.MaxRank}");
            }

            if ((r.Flags & ~1) != 0)
            {
                throw new EcnnFormatException(at + 10, "tensor.flags", $"tensor {i} '{name}': undefined flag bits 0x{r.Flags:X2}");
            }

            var shape = new int[r.Rank];
            for (int d = 0; d < FormatLayout.MaxRank; d++)
            {
                int dim = r.Dims[d];
                if (d < r.Rank && dim < 1)
                {
                    throw new EcnnFormatException(at + 16 + (4 * d), "tensor.dims", $"tensor {i} '{name}': dim {d} is {dim}; dims must be >= 1");
                }

                if (d >= r.Rank && dim != 0)
                {
                    throw new EcnnFormatException(at + 16 + (4 * d), "tensor.dims", $"tensor {i} '{name}': dim {d} beyond rank {r.Rank} must be 0");
                }

                if (d < r.Rank)
                {
                    shape[d] = dim;
                }
            }

            var type = (DataType)r.DataType;
            long bytes;
            try
            {
                bytes = checked(ShapeMath.ElementCount(shape) * type.SizeInBytes());
            }
            catch (OverflowException)
            {
                throw new EcnnFormatException(at + 16, "tensor.elements", $"tensor {i} '{name}': shape {ShapeMath.Format(shape)} overflows");
            }

            if (bytes > FormatLayout.MaxTensorBytes)
            {
                throw new EcnnFormatException(at + 16, "tensor.elements", $"tensor {i} '{name}': {bytes} bytes exceeds the {FormatLayout.MaxTensorBytes}-byte limit");
            }

            QuantizationInfo? q = ReadQuant(r, quants, shape, type, at, i, name);
            var t = new TensorDesc(name, type, shape, q) { IsConstant = (r.Flags & 1) != 0 };
            if (t.IsConstant)
            {
                if (r.DataBytes != (ulong)bytes)
                {
                    throw new EcnnFormatException(at + 56, "tensor.data", $"tensor {i} '{name}': {r.DataBytes} data bytes, shape and type need {bytes}");
                }

                if (r.DataOffset % FormatLayout.WeightAlignment != 0 || r.DataOffset > (ulong)weights.Bytes || r.DataBytes > (ulong)weights.Bytes - r.DataOffset)
                {
                    throw new EcnnFormatException(at + 48, "tensor.data",
                        $"tensor {i} '{name}': data at {r.DataOffset} (+{r.DataBytes}) is misaligned or outside the weights section of {weights.Bytes} bytes");
                }

                t.DataOffset = (long)r.DataOffset;
                t.DataBytes = (long)r.DataBytes;
            }
            else if (r.DataOffset != 0 || r.DataBytes != 0)
            {
                throw new EcnnFormatException(at + 48, "tensor.data", $"tensor {i} '{name}' is not constant but has data");
            }

            tensors[i] = t;
        }

        return tensors;
    }

    private static QuantizationInfo? ReadQuant(TensorRecord r, ReadOnlySpan<QuantRecord> quants, int[] shape, DataType type, long at, int i, string name)
    {
        if (r.QuantKind == 0)
        {
            if (r.QuantCount != 0 || r.QuantIndex != 0 || r.QuantAxis != -1)
            {
                throw new EcnnFormatException(at + 11, "tensor.quant", $"tensor {i} '{name}' is not quantized but has quantization fields set");
            }

            return null;
        }

        if (r.QuantKind > 2 || type == DataType.Float32)
        {
            throw new EcnnFormatException(at + 11, "tensor.quant", $"tensor {i} '{name}': quantization kind {r.QuantKind} is not valid for {type.Name()}");
        }

        int expected = 1;
        if (r.QuantKind == 2)
        {
            if (r.QuantAxis < 0 || r.QuantAxis >= shape.Length)
            {
                throw new EcnnFormatException(at + 12, "tensor.quant", $"tensor {i} '{name}': quantization axis {r.QuantAxis} is outside rank {shape.Length}");
            }

            expected = shape[r.QuantAxis];
        }
        else if (r.QuantAxis != -1)
        {
            throw new EcnnFormatException(at + 12, "tensor.quant", $"tensor {i} '{name}': per-tensor quantization must have axis -1");
        }

        if (r.QuantCount != expected || r.QuantIndex > (uint)quants.Length || r.QuantCount > (uint)quants.Length - r.QuantIndex)
        {
            throw new EcnnFormatException(at + 40, "tensor.quant",
                $"tensor {i} '{name}': quantization records {r.QuantIndex}+{r.QuantCount} (need {expected}) are outside the {quants.Length} records");
        }

        var scales = new float[expected];
        var zeroPoints = new int[expected];
        (int lo, int hi) = type == DataType.Int8 ? (-128, 127) : (0, 0);
        for (int c = 0; c < expected; c++)
        {
            QuantRecord q = quants[(int)r.QuantIndex + c];
            if (!float.IsFinite(q.Scale) || q.Scale <= 0f)
            {
                throw new EcnnFormatException(at + 40, "tensor.quant", $"tensor {i} '{name}': scale {q.Scale} must be finite and > 0");
            }

            if (q.ZeroPoint < lo || q.ZeroPoint > hi)
            {
                throw new EcnnFormatException(at + 40, "tensor.quant", $"tensor {i} '{name}': zero point {q.ZeroPoint} outside {lo}..{hi} for {type.Name()}");
            }

            scales[c] = q.Scale;
            zeroPoints[c] = q.ZeroPoint;
        }

        return new QuantizationInfo(scales, zeroPoints, r.QuantKind == 2 ? r.QuantAxis : -1);
    }

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

    private static (int[] Inputs, int[] Outputs) ReadGraphIo(ReadOnlySpan<byte> file, (long Offset, long Bytes, uint Count) io)
    {
        ReadOnlySpan<int> v = MemoryMarshal.Cast<byte, int>(file.Slice((int)io.Offset, (int)io.Bytes));
        if (v.Length < 2 || v[0] < 1 || v[1] < 1 || (long)v[0] + v[1] != v.Length - 2)
        {
            throw new EcnnFormatException(io.Offset, "graph.io", "graph I/O must list >= 1 input and >= 1 output and nothing else");
        }

        return (v.Slice(2, v[0]).ToArray(), v.Slice(2 + v[0], v[1]).ToArray());
    }

    private static KeyValuePair<string, string>[] ReadMetadata(ReadOnlySpan<byte> file, Tables strings, (long Offset, long Bytes, uint Count) table)
    {
        var records = MemoryMarshal.Cast<byte, MetadataRecord>(file.Slice((int)table.Offset, (int)table.Bytes));
        var result = new KeyValuePair<string, string>[records.Length];
        for (int i = 0; i < records.Length; i++)
        {
            long at = table.Offset + (i * (long)FormatLayout.MetadataRecordBytes);
            string key = strings.Get(records[i].KeyOffset, records[i].KeyBytes, at, "metadata.key");
            string value = strings.Get(records[i].ValueOffset, records[i].ValueBytes, at + 8, "metadata.value");
            result[i] = new(key, value);
        }

        return result;
    }

    /// <summary>Reads UTF-8 strings out of the Strings section with bounds and encoding checks.</summary>
    private readonly ref struct Tables
    {
        private readonly ReadOnlySpan<byte> _strings;

        public Tables(ReadOnlySpan<byte> file, long offset, long bytes) => _strings = file.Slice((int)offset, (int)bytes);

        public string Get(uint offset, uint bytes, long recordOffset, string rule)
        {
            if (offset > (uint)_strings.Length || bytes > (uint)_strings.Length - offset)
            {
                throw new EcnnFormatException(recordOffset, rule, $"string {offset}+{bytes} is outside the strings section of {_strings.Length} bytes");
            }

            try
            {
                return s_strictUtf8.GetString(_strings.Slice((int)offset, (int)bytes));
            }
            catch (DecoderFallbackException)
            {
                throw new EcnnFormatException(recordOffset, rule, "string is not valid UTF-8");
            }
        }
    }
}
