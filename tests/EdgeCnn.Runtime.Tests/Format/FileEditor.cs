using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Format;

namespace EdgeCnn.Runtime.Tests.Format;

/// <summary>Finds records in a valid file (through the spec's structs) so a test can break exactly one field.</summary>
public sealed class FileEditor(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    public FileHeader Header => MemoryMarshal.Read<FileHeader>(Bytes);

    public long SectionEntryOffset(SectionKind kind)
    {
        FileHeader h = Header;
        for (int i = 0; i < h.SectionCount; i++)
        {
            long at = (long)h.SectionTableOffset + (i * FormatLayout.SectionEntryBytes);
            if (MemoryMarshal.Read<SectionEntry>(Bytes.AsSpan((int)at)).Kind == kind)
            {
                return at;
            }
        }

        throw new InvalidOperationException($"no section {kind}");
    }

    public SectionEntry Section(SectionKind kind) => MemoryMarshal.Read<SectionEntry>(Bytes.AsSpan((int)SectionEntryOffset(kind)));

    public long TensorOffset(int index) => (long)Section(SectionKind.Tensors).Offset + (index * FormatLayout.TensorRecordBytes);

    public long NodeOffset(int index) => (long)Section(SectionKind.Nodes).Offset + (index * FormatLayout.NodeRecordBytes);

    public long NodeIoOffset => (long)Section(SectionKind.NodeIo).Offset;

    public long GraphIoOffset => (long)Section(SectionKind.GraphIo).Offset;

    public void WriteInt32(long offset, int value) => MemoryMarshal.Write(Bytes.AsSpan((int)offset), in value);

    public void WriteUInt16(long offset, ushort value) => MemoryMarshal.Write(Bytes.AsSpan((int)offset), in value);

    public void WriteUInt64(long offset, ulong value) => MemoryMarshal.Write(Bytes.AsSpan((int)offset), in value);

    public int ReadInt32(long offset) => MemoryMarshal.Read<int>(Bytes.AsSpan((int)offset));

    /// <summary>Recomputes the digest so the structural checks, not the digest, must catch the edit.</summary>
    public byte[] Sealed()
    {
        ModelWriter.Seal(Bytes);
        return Bytes;
    }
}
