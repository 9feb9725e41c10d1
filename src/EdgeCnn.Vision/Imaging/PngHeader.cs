using System.Buffers.Binary;

namespace EdgeCnn.Vision.Imaging;

/// <summary>The IHDR chunk of a PNG file, checked against the PNG specification (ISO/IEC 15948, section 11.2.2).</summary>
internal readonly struct PngHeader
{
    private PngHeader(int width, int height, int bitDepth, int colourType, bool interlaced)
    {
        Width = width;
        Height = height;
        BitDepth = bitDepth;
        ColourType = colourType;
        Interlaced = interlaced;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bits per sample (per palette index for colour type 3): 1, 2, 4, 8 or 16.</summary>
    public int BitDepth { get; }

    /// <summary>0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA.</summary>
    public int ColourType { get; }

    /// <summary>Adam7 interlace (interlace method 1).</summary>
    public bool Interlaced { get; }

    /// <summary>Samples per pixel in the file: 1, 3, 1, 2, 4 for colour types 0, 2, 3, 4, 6.</summary>
    public int SamplesPerPixel => ColourType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };

    /// <summary>Channels of the decoded image: alpha dropped, palette expanded to RGB.</summary>
    public int OutputChannels => ColourType is 0 or 4 ? 1 : 3;

    public int BitsPerPixel => SamplesPerPixel * BitDepth;

    /// <param name="data">The 13 data bytes of IHDR.</param>
    /// <param name="offset">File offset of the chunk (its length field), for messages.</param>
    public static PngHeader Parse(ReadOnlySpan<byte> data, long offset)
    {
        const string Where = "PNG chunk IHDR";
        if (data.Length != 13)
        {
            throw new ImageFormatException(offset, Where, $"length is {data.Length}, must be 13");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int bitDepth = data[8], colourType = data[9];
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
        {
            throw new ImageFormatException(offset, Where, $"width {width} and height {height} must be 1..2^31-1");
        }

        if ((ulong)width * height > DecodedImage.MaxPixels)
        {
            throw new ImageFormatException(
                offset, Where, $"{width}x{height} is {(ulong)width * height} pixels, over the decoder's cap of {DecodedImage.MaxPixels} (2^26) pixels");
        }

        bool depthAllowed = colourType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth is 8 or 16,
            _ => throw new ImageFormatException(offset, Where, $"colour type {colourType} is not one of 0, 2, 3, 4, 6"),
        };
        if (!depthAllowed)
        {
            throw new ImageFormatException(offset, Where, $"bit depth {bitDepth} is not allowed for colour type {colourType}");
        }

        if (data[10] != 0)
        {
            throw new ImageFormatException(offset, Where, $"compression method {data[10]} is not 0 (deflate)");
        }

        if (data[11] != 0)
        {
            throw new ImageFormatException(offset, Where, $"filter method {data[11]} is not 0 (adaptive)");
        }

        if (data[12] > 1)
        {
            throw new ImageFormatException(offset, Where, $"interlace method {data[12]} is not 0 (none) or 1 (Adam7)");
        }

        return new PngHeader((int)width, (int)height, bitDepth, colourType, data[12] == 1);
    }
}
