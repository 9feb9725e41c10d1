using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Format;

/// <summary>
/// Verifies every byte of an .ecnn file before anything trusts it (FORMAT.md, "Verification"), then builds the model's
/// tables. Any violation throws EcnnFormatException with the offset and rule; nothing else escapes for any input.
/// </summary>
public static partial class ModelReader
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
