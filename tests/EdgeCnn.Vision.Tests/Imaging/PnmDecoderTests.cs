using System.Text;
using EdgeCnn.Vision.Imaging;

namespace EdgeCnn.Vision.Tests.Imaging;

public class PnmDecoderTests
{
    private static DecodedImage Decode(string text) => ImageDecoder.Decode(Encoding.Latin1.GetBytes(text));

    private static string Refuse(string text, long offset)
    {
        ImageFormatException e = Assert.Throws<ImageFormatException>(() => Decode(text));
        Assert.Equal(offset, e.Offset);
        return e.Message;
    }

    [Fact]
    public void Plain_bitmap_digits_need_no_separators_and_1_is_black() =>
        Assert.Equal([0, 255, 255, 0, 0, 255], Decode("P1 3 2 100\n#c\n 1\n10").Pixels);

    [Fact]
    public void Comments_may_sit_between_any_header_fields()
    {
        DecodedImage image = Decode("P2#a\n#b\n2#c\n#d\n1 # e\n 4 0\n4\n");
        Assert.Equal((2, 1, 1), (image.Width, image.Height, image.Channels));
        Assert.Equal([0, 255], image.Pixels);
    }

    [Theory]
    [InlineData(65535, 0, 0)]
    [InlineData(65535, 65535, 255)]
    [InlineData(65535, 32896, 128)] // 32896 * 255 / 65535 = 128.0
    [InlineData(65535, 32767, 127)] // 127.498
    [InlineData(2, 1, 128)] // 127.5: a tie, rounds up
    [InlineData(3, 1, 85)]
    [InlineData(256, 128, 128)] // 127.5 again with 2-byte samples
    public void Samples_scale_to_8_bits_rounding_to_nearest(int maxval, int sample, int expected)
    {
        byte[] raw = maxval > 255 ? [(byte)(sample >> 8), (byte)sample] : [(byte)sample];
        byte[] file = [.. Encoding.ASCII.GetBytes($"P5 1 1 {maxval}\n"), .. raw];
        Assert.Equal([(byte)expected], ImageDecoder.Decode(file).Pixels);
        Assert.Equal([(byte)expected], Decode($"P2 1 1 {maxval} {sample}").Pixels);
    }

    [Fact]
    public void Raw_bitmap_rows_are_padded_to_whole_bytes()
    {
        byte[] file = [.. "P4 3 2\n"u8, 0b1010_0000, 0b0110_0000];
        Assert.Equal([0, 255, 0, 255, 0, 0], ImageDecoder.Decode(file).Pixels);
    }

    [Fact]
    public void Bytes_after_the_image_are_ignored() =>
        Assert.Equal([1, 2, 3], ImageDecoder.Decode([.. "P6 1 1 255\n"u8, 1, 2, 3, .. "P6 1 1 255\n"u8]).Pixels);

    [Theory]
    [InlineData("P5 2 1 255\n\x01", 11, "the raster needs 2 bytes, the file has 1 after the header: truncated")]
    [InlineData("P5 2 1 100\n\x01\x65", 12, "sample 101 exceeds maxval 100")]
    [InlineData("P2 2 1 100 1 101", 13, "sample 1 is larger than 100")]
    [InlineData("P2 2 1 0 0 0", 7, "maxval is 0, must be 1..65535")]
    [InlineData("P2 2 1 65536 0 0", 7, "maxval is larger than 65535")]
    [InlineData("P2 0 1 255 0", 3, "width is 0, must be 1..2147483647")]
    [InlineData("P2 2x 1 255 0", 4, "width must be followed by whitespace, found byte 0x78")]
    [InlineData("P2 2", 4, "height must be a decimal number, found the end of the file (truncated)")]
    [InlineData("P6 100000 100000 255\n", 16, "over the decoder's cap of 67108864 (2^26) pixels")]
    [InlineData("P1 2 1 0 2", 9, "pixel 1: '2' is not a bit (0 or 1)")]
    [InlineData("P3 2 1 255 1 2 3 4 5", 10, "6 samples need at least 11 bytes, the file has 10 after the header: truncated")]
    [InlineData("P5 1 1 255#x\n\x01", 10, "the header must end with one whitespace byte")]
    [InlineData("P7 1 1", 0, "neither a PNG signature nor a Netpbm magic number")]
    [InlineData("P51 1 255\n\x01", 2, "the magic number P5 must be followed by whitespace")]
    public void Errors_name_the_offset_and_rule(string text, long offset, string rule) =>
        Assert.Contains(rule, Refuse(text, offset), StringComparison.Ordinal);
}
