using EdgeCnn.Vision.Imaging;
using static EdgeCnn.Vision.Tests.Imaging.PngChunks;

namespace EdgeCnn.Vision.Tests.Imaging;

public class PngDecoderErrorTests
{
    // A 2x1 8-bit grey image: filter byte 0, then two samples.
    private static readonly byte[] GreyRow = [0, 10, 200];

    private static string Refuse(byte[] file, long offset)
    {
        ImageFormatException e = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(file));
        Assert.Equal(offset, e.Offset);
        return e.Message;
    }

    [Fact]
    public void A_minimal_hand_built_file_decodes()
    {
        DecodedImage image = ImageDecoder.Decode(File(Ihdr(2, 1, 8, 0), Idat(GreyRow), Iend()));
        Assert.Equal([10, 200], image.Pixels);
    }

    [Fact]
    public void A_forbidden_bit_depth_names_the_chunk_offset_and_rule() =>
        Assert.Equal("PNG chunk IHDR at offset 8: bit depth 3 is not allowed for colour type 2", Refuse(File(Ihdr(2, 1, 3, 2), Idat(GreyRow), Iend()), 8));

    [Theory]
    [InlineData(0u, 1u, 8, 0, 0, 0, 0, "width 0 and height 1 must be 1..2^31-1")]
    [InlineData(1u, 0x80000000u, 8, 0, 0, 0, 0, "must be 1..2^31-1")]
    [InlineData(100000u, 100000u, 8, 0, 0, 0, 0, "over the decoder's cap of 67108864 (2^26) pixels")]
    [InlineData(2u, 1u, 8, 5, 0, 0, 0, "colour type 5 is not one of 0, 2, 3, 4, 6")]
    [InlineData(2u, 1u, 16, 3, 0, 0, 0, "bit depth 16 is not allowed for colour type 3")]
    [InlineData(2u, 1u, 4, 6, 0, 0, 0, "bit depth 4 is not allowed for colour type 6")]
    [InlineData(2u, 1u, 8, 0, 2, 0, 0, "interlace method 2 is not 0 (none) or 1 (Adam7)")]
    [InlineData(2u, 1u, 8, 0, 0, 1, 0, "compression method 1 is not 0 (deflate)")]
    [InlineData(2u, 1u, 8, 0, 0, 0, 1, "filter method 1 is not 0 (adaptive)")]
    public void Header_rules_are_enforced(uint w, uint h, byte depth, byte type, byte interlace, byte compression, byte filter, string rule) =>
        Assert.Contains(rule, Refuse(File(Ihdr(w, h, depth, type, interlace, compression, filter), Idat(GreyRow), Iend()), 8), StringComparison.Ordinal);

    [Fact]
    public void A_size_bomb_is_refused_before_any_allocation()
    {
        // 8192 x 8193 is one row over the cap; the IDAT is tiny, nothing is inflated.
        Assert.Contains("2^26", Refuse(File(Ihdr(8192, 8193, 8, 0), Idat(GreyRow), Iend()), 8), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_crc_is_reported_with_both_values()
    {
        byte[] file = File(Ihdr(2, 1, 8, 0), Idat(GreyRow), Iend());
        file[^1] ^= 1; // IEND's CRC
        Assert.Matches("^PNG chunk IEND at offset [0-9]+: CRC is 0x[0-9A-F]{8}, the chunk's bytes give 0xAE426082: corrupt$", Refuse(file, file.Length - 12));
    }

    [Fact]
    public void Chunk_order_rules_are_enforced()
    {
        Assert.Contains("the first chunk must be IHDR", Refuse(File(Idat(GreyRow), Ihdr(2, 1, 8, 0), Iend()), 8), StringComparison.Ordinal);
        Assert.Contains("no IDAT", Refuse(File(Ihdr(2, 1, 8, 0), Iend()), 33), StringComparison.Ordinal);
        Assert.Contains("unknown critical chunk", Refuse(File(Ihdr(2, 1, 8, 0), Chunk("ABCD", [1]), Idat(GreyRow), Iend()), 33), StringComparison.Ordinal);
        byte[] split = Deflate(GreyRow);
        byte[] interrupted = File(Ihdr(2, 1, 8, 0), Chunk("IDAT", split.AsSpan(0, 3)), Chunk("tEXt", "a\0b"u8), Chunk("IDAT", split.AsSpan(3)), Iend());
        Assert.Contains("IDAT chunks must be consecutive", Refuse(interrupted, 33 + 15 + 15), StringComparison.Ordinal);
        Assert.Contains("the file ends", Refuse(File(Ihdr(2, 1, 8, 0), Idat(GreyRow)), 33 + 12 + split.Length), StringComparison.Ordinal);
    }

    [Fact]
    public void Palette_rules_are_enforced()
    {
        byte[] indexRow = [0, 0x1F]; // 2 pixels at 4 bits: indices 1 and 15
        Assert.Contains("needs a PLTE", Refuse(File(Ihdr(2, 1, 4, 3), Idat(indexRow), Iend()), 33), StringComparison.Ordinal);
        Assert.Contains("palette index 15, the PLTE has 2 entries",
            Refuse(File(Ihdr(2, 1, 4, 3), Chunk("PLTE", [1, 2, 3, 4, 5, 6]), Idat(indexRow), Iend()), 33 + 18), StringComparison.Ordinal);
        Assert.Contains("length 4 must be 3 * (1..256 entries)", Refuse(File(Ihdr(2, 1, 4, 3), Chunk("PLTE", [1, 2, 3, 4]), Idat(indexRow), Iend()), 33), StringComparison.Ordinal);
        Assert.Contains("3 entries exceed the 2^1", Refuse(File(Ihdr(2, 1, 1, 3), Chunk("PLTE", new byte[9]), Idat(0, 0), Iend()), 33), StringComparison.Ordinal);
        Assert.Contains("not allowed for colour type 0", Refuse(File(Ihdr(2, 1, 8, 0), Chunk("PLTE", new byte[3]), Idat(GreyRow), Iend()), 33), StringComparison.Ordinal);
        DecodedImage ok = ImageDecoder.Decode(File(Ihdr(2, 1, 4, 3), Chunk("PLTE", [1, 2, 3, 4, 5, 6]), Idat(0, 0x10), Iend()));
        Assert.Equal([4, 5, 6, 1, 2, 3], ok.Pixels);
    }

    [Fact]
    public void Image_data_rules_are_enforced()
    {
        Assert.Contains("row 0 has filter type 5; only 0..4 exist", Refuse(File(Ihdr(2, 1, 8, 0), Idat(5, 1, 2), Iend()), 33), StringComparison.Ordinal);
        Assert.Contains("Adam7 pass 1 row 0 has filter type 9", Refuse(File(Ihdr(2, 1, 8, 0, interlace: 1), Idat(9, 1, 0, 2), Iend()), 33), StringComparison.Ordinal);
        Assert.Contains("ends after 2 bytes", Refuse(File(Ihdr(2, 1, 8, 0), Idat(0, 1), Iend()), 33), StringComparison.Ordinal);
        Assert.Contains("longer than the 3 bytes", Refuse(File(Ihdr(2, 1, 8, 0), Idat(0, 1, 2, 3), Iend()), 33), StringComparison.Ordinal);
        byte[] badZlib = Deflate(GreyRow);
        badZlib[^1] ^= 0xFF; // Adler-32 trailer
        Assert.Contains("zlib stream is corrupt", Refuse(File(Ihdr(2, 1, 8, 0), Chunk("IDAT", badZlib), Iend()), 33), StringComparison.Ordinal);
    }

    [Fact]
    public void Non_images_are_refused_at_offset_0()
    {
        Assert.Contains("neither a PNG signature nor a Netpbm magic number", Refuse("GIF89a"u8.ToArray(), 0), StringComparison.Ordinal);
        Assert.Contains("none: empty file", Refuse([], 0), StringComparison.Ordinal);
        Assert.Contains("PNG signature", Assert.Throws<ImageFormatException>(() => PngDecoder.Decode("P5"u8)).Message, StringComparison.Ordinal);
    }
}
