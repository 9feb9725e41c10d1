using EdgeCnn.Vision.Imaging;
using Xunit.Abstractions;

namespace EdgeCnn.Vision.Tests.Imaging;

/// <summary>
/// Every truncation and every single-byte corruption of a few fixtures: the decoders may return an image or throw
/// ImageFormatException, and nothing else (no IndexOutOfRange, no InvalidDataException, no hang).
/// </summary>
public class CorruptionTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() =>
    [
        "own_t3_d2_adam7_13x11.png", "own_t0_d16_plain_13x11.png", "own_t6_d8_adam7_3x1.png", "own_split_idat_ancillary_rgb8.png",
        "pil_rgb_noise.png", "p1_comments.pbm", "p3.ppm", "p4.pbm", "p5_maxval1000_16bit.pgm", "p6.ppm",
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_truncation_is_refused_or_decodes(string file)
    {
        byte[] bytes = Fixtures.Bytes(file);
        int refused = 0;
        for (int length = 0; length < bytes.Length; length++)
        {
            refused += Outcome(bytes.AsSpan(0, length).ToArray(), $"{file} cut to {length} bytes") ? 0 : 1;
        }

        output.WriteLine($"{file}: {refused} of {bytes.Length} truncations refused");
        if (file.EndsWith(".png", StringComparison.Ordinal))
        {
            Assert.Equal(bytes.Length, refused); // IEND is required, so no prefix of a PNG is a PNG
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_single_byte_corruption_is_refused_or_decodes(string file)
    {
        byte[] bytes = Fixtures.Bytes(file);
        int refused = 0, tried = 0;
        foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF, 0x55 })
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                byte[] bad = (byte[])bytes.Clone();
                bad[i] ^= mask;
                tried++;
                refused += Outcome(bad, $"{file} byte {i} ^= 0x{mask:X2}") ? 0 : 1;
            }
        }

        output.WriteLine($"{file}: {refused} of {tried} corruptions refused");
        if (file.EndsWith(".png", StringComparison.Ordinal))
        {
            // Every byte after the signature is under a CRC, and the signature is checked: all must be refused.
            Assert.Equal(tried, refused);
        }
    }

    [Theory]
    [InlineData("own_t3_d2_adam7_13x11.png")]
    [InlineData("own_t0_d16_plain_13x11.png")]
    [InlineData("own_t4_d8_adam7_1x5.png")]
    [InlineData("own_split_idat_ancillary_rgb8.png")]
    [InlineData("pil_rgb_noise.png")]
    [InlineData("pil_palette.png")]
    public void Corrupt_chunk_data_under_a_recomputed_crc_is_refused_or_decodes(string file)
    {
        // The CRC stops almost every corruption before inflate and unfilter see it; recomputing it sends arbitrary IHDR,
        // PLTE and zlib bytes through them too.
        byte[] bytes = Fixtures.Bytes(file);
        int refused = 0, tried = 0;
        for (int pos = 8; pos + 12 <= bytes.Length;)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(bytes, pos + 4, 4);
            for (int i = 0; i < length; i++)
            {
                foreach (byte mask in new byte[] { 0x01, 0x10, 0xFF })
                {
                    byte[] bad = (byte[])bytes.Clone();
                    bad[pos + 8 + i] ^= mask;
                    byte[] fixedCrc = PngChunks.Chunk(type, bad.AsSpan(pos + 8, length));
                    fixedCrc.CopyTo(bad, pos);
                    tried++;
                    refused += Outcome(bad, $"{file} chunk {type} data byte {i} ^= 0x{mask:X2} (CRC recomputed)") ? 0 : 1;
                }
            }

            pos += 12 + length;
        }

        output.WriteLine($"{file}: {refused} of {tried} corruptions under a valid CRC refused");
        Assert.True(tried > 0);
    }

    /// <returns>true when the bytes decoded; false when refused with ImageFormatException. Any other exception fails.</returns>
    private static bool Outcome(byte[] bytes, string what)
    {
        try
        {
            DecodedImage image = ImageDecoder.Decode(bytes);
            Assert.Equal((long)image.Width * image.Height * image.Channels, image.Pixels.Length);
            return true;
        }
        catch (ImageFormatException e)
        {
            Assert.Contains(" at offset ", e.Message, StringComparison.Ordinal);
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of ImageFormatException: {e.Message}");
            return false;
        }
    }
}
