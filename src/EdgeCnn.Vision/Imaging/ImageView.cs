namespace EdgeCnn.Vision.Imaging;

/// <summary>
/// A borrowed 8-bit image: grey (1 channel) or RGB (3 channels, in that order), rows <see cref="StrideBytes"/> apart (a
/// camera buffer may pad its rows). Nothing is copied; the constructor checks that the span holds every row.
/// </summary>
public readonly ref struct ImageView
{
    public ImageView(int width, int height, int channels, int strideBytes, ReadOnlySpan<byte> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 (grey) or 3 (RGB)");
        }

        long rowBytes = (long)width * channels;
        if (strideBytes < rowBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(strideBytes), strideBytes, $"stride must be at least width * channels = {rowBytes} bytes");
        }

        long needed = ((long)(height - 1) * strideBytes) + rowBytes;
        if (pixels.Length < needed)
        {
            throw new ArgumentException($"{width}x{height}x{channels} with stride {strideBytes} needs {needed} bytes, the span has {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        StrideBytes = strideBytes;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 for grey, 3 for RGB (in that order).</summary>
    public int Channels { get; }

    /// <summary>Bytes from the start of one row to the start of the next (at least Width * Channels).</summary>
    public int StrideBytes { get; }

    /// <summary>The rows; pixel (x, y) channel c is at y * StrideBytes + x * Channels + c.</summary>
    public ReadOnlySpan<byte> Pixels { get; }

    /// <summary>Sample c of pixel (x, y).</summary>
    public byte this[int x, int y, int c] => Pixels[(y * StrideBytes) + (x * Channels) + c];
}
