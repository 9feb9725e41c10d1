using System.Runtime.CompilerServices;
using EdgeCnn.Runtime.Format;

namespace EdgeCnn.Runtime.Tests.Format;

/// <summary>The struct sizes FORMAT.md states, checked here as well as in FormatLayout's static assertions.</summary>
public class FormatLayoutTests
{
    [Fact]
    public void Struct_sizes_match_the_spec()
    {
        FormatLayout.EnsureLayout();
        Assert.Equal(64, Unsafe.SizeOf<FileHeader>());
        Assert.Equal(32, Unsafe.SizeOf<SectionEntry>());
        Assert.Equal(64, Unsafe.SizeOf<TensorRecord>());
        Assert.Equal(32, Unsafe.SizeOf<NodeRecord>());
        Assert.Equal(8, Unsafe.SizeOf<QuantRecord>());
        Assert.Equal(16, Unsafe.SizeOf<MetadataRecord>());
        Assert.Equal(8, Unsafe.SizeOf<AttributeHeader>());
    }

    [Fact]
    public void Header_fields_sit_where_the_spec_says()
    {
        byte[] file = GoldenModels.Float32Chain();
        Assert.Equal("ECNN"u8.ToArray(), file[..4]);
        Assert.Equal(FormatLayout.VersionMajor, BitConverter.ToUInt16(file, 4));
        Assert.Equal(64u, BitConverter.ToUInt32(file, 8));
        Assert.Equal((ulong)file.Length, BitConverter.ToUInt64(file, 16));
        Assert.Equal(64ul, BitConverter.ToUInt64(file, 24));
        var f = new FileEditor(file);
        Assert.Equal(0ul, f.Section(SectionKind.Weights).Offset % 64);
    }
}
