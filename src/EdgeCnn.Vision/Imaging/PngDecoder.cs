using System.Buffers.Binary;

namespace EdgeCnn.Vision.Imaging;

/// <summary>
/// PNG decoder (ISO/IEC 15948): every colour type (grey, RGB, palette, grey + alpha, RGBA) and legal bit depth (1, 2, 4, 8,
/// 16), all five filters, Adam7 interlace, IDAT split over any number of chunks. Every chunk's CRC is checked; IHDR must come
/// first and IEND last; unknown critical chunks are refused, ancillary chunks (gAMA, tRNS, text...) are skipped.
/// Output is 8-bit grey or RGB: alpha is dropped (not composited: the colour samples are kept as stored), palette indices are
/// expanded to RGB, 1/2/4-bit grey is scaled to 0..255 (v * 255 / (2^depth - 1), exact), 16-bit samples become
/// round(v / 257), and gamma/colour-space chunks are ignored.
/// </summary>
public static class PngDecoder
{
    private const string Where = "PNG";

    /// <summary>The 8 bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static bool HasSignature(ReadOnlySpan<byte> file) => file.StartsWith(Signature);

    /// <exception cref="ImageFormatException">The file is not PNG, is truncated or corrupt, or is over the pixel cap.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> file)
    {
        if (!HasSignature(file))
        {
            throw new ImageFormatException(0, Where, "the file does not start with the 8-byte PNG signature");
        }

        PngHeader? header = null;
        byte[]? palette = null; // [entries * 3] RGB
        var idat = new List<(int Offset, int Length)>();
        long firstIdat = -1;
        bool idatClosed = false;
        int pos = Signature.Length;
        while (true)
        {
            if (file.Length - pos < 12)
            {
                throw new ImageFormatException(pos, Where, $"the file ends ({file.Length} bytes) before the IEND chunk: truncated");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
            ReadOnlySpan<byte> type = file.Slice(pos + 4, 4);
            string name = ChunkName(type, pos);
            string where = $"PNG chunk {name}";
            if (length > int.MaxValue || length > (uint)(file.Length - pos - 12))
            {
                throw new ImageFormatException(pos, where, $"length {length} runs past the end of the file ({file.Length} bytes): truncated or corrupt");
            }

            ReadOnlySpan<byte> data = file.Slice(pos + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(pos + 8 + (int)length)..]);
            uint actual = Crc32.Compute(file.Slice(pos + 4, 4 + (int)length));
            if (stored != actual)
            {
                throw new ImageFormatException(pos, where, $"CRC is 0x{stored:X8}, the chunk's bytes give 0x{actual:X8}: corrupt");
            }

            if (header is null && !string.Equals(name, "IHDR", StringComparison.Ordinal))
            {
                throw new ImageFormatException(pos, where, "the first chunk must be IHDR");
            }

            if (idat.Count > 0 && !string.Equals(name, "IDAT", StringComparison.Ordinal))
            {
                idatClosed = true;
            }

            switch (name)
            {
                case "IHDR":
                    if (header is not null)
                    {
                        throw new ImageFormatException(pos, where, "IHDR appears twice");
                    }

                    header = PngHeader.Parse(data, pos);
                    break;
                case "PLTE":
                    palette = ParsePalette(data, header!.Value, palette, idat.Count > 0, pos);
                    break;
                case "IDAT":
                    if (idatClosed)
                    {
                        throw new ImageFormatException(pos, where, "IDAT chunks must be consecutive; another chunk comes between them");
                    }

                    if (firstIdat < 0)
                    {
                        firstIdat = pos;
                    }

                    idat.Add((pos + 8, (int)length));
                    break;
                case "IEND":
                    if (length != 0)
                    {
                        throw new ImageFormatException(pos, where, $"length is {length}, must be 0");
                    }

                    return Finish(file, header!.Value, palette, idat, firstIdat, pos);
                default:
                    if ((type[0] & 0x20) == 0)
                    {
                        throw new ImageFormatException(pos, where, "unknown critical chunk (upper-case first letter): the image cannot be decoded without it");
                    }

                    break; // ancillary: gAMA, tRNS, tEXt... do not change the decoded samples we return
            }

            pos += 12 + (int)length;
        }
    }

    private static DecodedImage Finish(ReadOnlySpan<byte> file, PngHeader header, byte[]? palette, List<(int Offset, int Length)> idat, long firstIdat, int iendOffset)
    {
        if (idat.Count == 0)
        {
            throw new ImageFormatException(iendOffset, "PNG chunk IEND", "the file has no IDAT chunk (no image data)");
        }

        if (header.ColourType == 3 && palette is null)
        {
            throw new ImageFormatException(firstIdat, "PNG chunk IDAT", "colour type 3 (palette) needs a PLTE chunk before the image data");
        }

        int total = 0;
        foreach ((int _, int length) in idat)
        {
            total = checked(total + length); // bounded by the file's length, which is an int
        }

        var compressed = new byte[total];
        int at = 0;
        foreach ((int offset, int length) in idat)
        {
            file.Slice(offset, length).CopyTo(compressed.AsSpan(at));
            at += length;
        }

        return PngScanlines.Decode(header, palette, compressed, firstIdat);
    }

    private static byte[] ParsePalette(ReadOnlySpan<byte> data, PngHeader header, byte[]? existing, bool afterIdat, int pos)
    {
        const string W = "PNG chunk PLTE";
        if (existing is not null)
        {
            throw new ImageFormatException(pos, W, "PLTE appears twice");
        }

        if (afterIdat)
        {
            throw new ImageFormatException(pos, W, "PLTE must come before the first IDAT");
        }

        if (header.ColourType is 0 or 4)
        {
            throw new ImageFormatException(pos, W, $"a palette is not allowed for colour type {header.ColourType} (grey)");
        }

        int entries = data.Length / 3;
        if (data.Length % 3 != 0 || entries is < 1 or > 256)
        {
            throw new ImageFormatException(pos, W, $"length {data.Length} must be 3 * (1..256 entries)");
        }

        if (header.ColourType == 3 && entries > 1 << header.BitDepth)
        {
            throw new ImageFormatException(pos, W, $"{entries} entries exceed the 2^{header.BitDepth} a bit depth of {header.BitDepth} can index");
        }

        return data.ToArray();
    }

    private static string ChunkName(ReadOnlySpan<byte> type, int pos)
    {
        foreach (byte b in type)
        {
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z')))
            {
                throw new ImageFormatException(pos + 4, "PNG chunk type", $"bytes {Convert.ToHexString(type)} are not four ASCII letters: corrupt");
            }
        }

        return System.Text.Encoding.ASCII.GetString(type);
    }
}
