using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Format;

/// <summary>Fixed numbers of the .ecnn layout (FORMAT.md). Every struct below is asserted against these sizes.</summary>
public static class FormatLayout
{
    /// <summary>"ECNN" read as a little-endian uint32.</summary>
    public const uint Magic = 0x4E4E4345;
    public const ushort VersionMajor = 1;
    public const ushort VersionMinor = 1; // 1.1: op code 21 ChannelClip (FORMAT.md, version history)
    public const int HeaderBytes = 64;
    public const int SectionEntryBytes = 32;
    public const int TensorRecordBytes = 64;
    public const int NodeRecordBytes = 32;
    public const int QuantRecordBytes = 8;
    public const int MetadataRecordBytes = 16;
    public const int AttributeHeaderBytes = 8;
    public const int DigestOffset = 32;
    public const int DigestBytes = 32;
    public const int MaxRank = 6;
    public const int SectionAlignment = 8;
    /// <summary>Weights start 64-byte aligned in the file so a memory-mapped model is used in place by vector kernels.</summary>
    public const int WeightAlignment = 64;
    /// <summary>Spans index with int: no tensor may exceed this many bytes.</summary>
    public const long MaxTensorBytes = int.MaxValue;

    static FormatLayout()
    {
        // The writer and reader both use these structs; a size drift would silently corrupt files.
        Check<FileHeader>(HeaderBytes);
        Check<SectionEntry>(SectionEntryBytes);
        Check<TensorRecord>(TensorRecordBytes);
        Check<NodeRecord>(NodeRecordBytes);
        Check<QuantRecord>(QuantRecordBytes);
        Check<MetadataRecord>(MetadataRecordBytes);
        Check<AttributeHeader>(AttributeHeaderBytes);
    }

    /// <summary>Runs the static size assertions (called by reader and writer before any use).</summary>
    public static void EnsureLayout()
    {
    }

    private static unsafe void Check<T>(int expected)
        where T : unmanaged
    {
        if (sizeof(T) != expected || Marshal.SizeOf<T>() != expected)
        {
            throw new InvalidOperationException($"{typeof(T).Name} is {sizeof(T)} bytes, FORMAT.md says {expected}");
        }
    }
}

/// <summary>Kinds of section in the section table.</summary>
public enum SectionKind : uint
{
    Strings = 1,
    Tensors = 2,
    Nodes = 3,
    NodeIo = 4,
    Attributes = 5,
    Quant = 6,
    GraphIo = 7,
    Metadata = 8,
    Weights = 9,
}

/// <summary>Section flags. An unknown section kind is skipped only when it is marked optional.</summary>
[Flags]
public enum SectionFlags : uint
{
    None = 0,
    Optional = 1,
}

/// <summary>File header, 64 bytes at offset 0.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct FileHeader
{
    public uint Magic;               // 0: "ECNN"
    public ushort VersionMajor;      // 4: incompatible changes bump this
    public ushort VersionMinor;      // 6: compatible additions (optional sections, new attributes with defaults)
    public uint HeaderBytes;         // 8: 64
    public uint SectionCount;        // 12
    public ulong FileBytes;          // 16: total length, must equal the file's length
    public ulong SectionTableOffset; // 24: 8-aligned
    public fixed byte Digest[32];    // 32: SHA-256 of bytes [0,32) ++ [64, FileBytes)
}

/// <summary>One row of the section table, 32 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct SectionEntry
{
    public SectionKind Kind;   // 0
    public SectionFlags Flags; // 4
    public ulong Offset;       // 8: from file start; 8-aligned (Weights: 64-aligned)
    public ulong Bytes;        // 16
    public uint Count;         // 24: number of records (tables) or 0 (blobs)
    public uint Reserved;      // 28: 0
}

/// <summary>One tensor, 64 bytes. Dims beyond Rank are 0.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct TensorRecord
{
    public uint NameOffset;        // 0: into Strings
    public uint NameBytes;         // 4
    public byte DataType;          // 8: DataType
    public byte Rank;              // 9: 0..6
    public byte Flags;             // 10: bit 0 constant (data in Weights)
    public byte QuantKind;         // 11: 0 none, 1 per-tensor, 2 per-axis
    public int QuantAxis;          // 12: axis for per-axis, else -1
    public fixed int Dims[6];      // 16: each >= 1
    public uint QuantIndex;        // 40: first record in Quant
    public uint QuantCount;        // 44: 1 per-tensor, dims[axis] per-axis
    public ulong DataOffset;       // 48: from the start of Weights, 64-aligned
    public ulong DataBytes;        // 56: element count * element size
}

/// <summary>One node, 32 bytes. Nodes are stored in execution (topological) order.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct NodeRecord
{
    public ushort OpCode;        // 0: OpCode
    public ushort Reserved0;     // 2: 0
    public uint NameOffset;      // 4: into Strings
    public uint NameBytes;       // 8
    public uint IoIndex;         // 12: first int32 of this node's inputs then outputs in NodeIo
    public ushort InputCount;    // 16
    public ushort OutputCount;   // 18
    public uint AttributeOffset; // 20: bytes from the start of Attributes
    public uint AttributeBytes;  // 24
    public uint Reserved1;       // 28: 0
}

/// <summary>One quantization record: real = scale * (q - zeroPoint).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct QuantRecord
{
    public float Scale;   // 0: finite, > 0
    public int ZeroPoint; // 4: within the tensor's data type
}

/// <summary>One metadata key/value pair of UTF-8 strings.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct MetadataRecord
{
    public uint KeyOffset;   // 0
    public uint KeyBytes;    // 4
    public uint ValueOffset; // 8
    public uint ValueBytes;  // 12
}

/// <summary>Header of one typed attribute; Count 4-byte values follow.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct AttributeHeader
{
    public ushort Key;   // 0: AttributeKey
    public byte Type;    // 2: AttributeType
    public byte Reserved; // 3: 0
    public uint Count;   // 4: number of int32/float32 values that follow
}
