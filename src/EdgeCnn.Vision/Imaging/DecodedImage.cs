namespace EdgeCnn.Vision.Imaging;

/// <summary>
/// An 8-bit image: grey (1 channel) or RGB (3 channels), row-major and interleaved with no row padding.
/// </summary>
public sealed class DecodedImage
{
    /// <summary>
    /// The largest pixel count a decoder accepts (2^26 = 67,108,864 pixels, e.g. 8192 x 8192): a guard against size bombs,
    /// headers that claim huge dimensions to make the reader allocate gigabytes.
    /// </summary>
    public const long MaxPixels = 1L << 26;

    public DecodedImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 (grey) or 3 (RGB)");
        }

        if ((long)width * height * channels != pixels.Length)
        {
            throw new ArgumentException(
                $"pixels holds {pixels.Length} bytes; a {width}x{height} image of {channels} channel(s) needs {(long)width * height * channels}",
                nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 for grey, 3 for RGB (in that order).</summary>
    public int Channels { get; }

    /// <summary>[Height, Width, Channels] bytes, row-major, interleaved.</summary>
    public byte[] Pixels { get; }

    /// <summary>A view of these pixels for preprocessing (stride = Width * Channels).</summary>
    public ImageView AsView() => new(Width, Height, Channels, Width * Channels, Pixels);
}
