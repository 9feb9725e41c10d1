namespace EdgeCnn.Vision.Imaging;

/// <summary>
/// Decodes an image file to 8-bit grey or RGB, choosing the format by its magic bytes (not its name): PNG
/// (<see cref="PngDecoder"/>) or Netpbm P1..P6 (<see cref="PnmDecoder"/>).
/// </summary>
public static class ImageDecoder
{
    private static readonly string[] Extensions = [".png", ".pbm", ".pgm", ".ppm", ".pnm"];

    /// <exception cref="ImageFormatException">Not a supported format, truncated, corrupt, or over the pixel cap.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> file)
    {
        if (PngDecoder.HasSignature(file))
        {
            return PngDecoder.Decode(file);
        }

        if (PnmDecoder.HasSignature(file))
        {
            return PnmDecoder.Decode(file);
        }

        string head = Convert.ToHexString(file[..Math.Min(8, file.Length)]);
        throw new ImageFormatException(0, "image", $"the first bytes ({(head.Length == 0 ? "none: empty file" : head)}) are neither a PNG signature nor a Netpbm magic number P1..P6");
    }

    /// <exception cref="ImageFormatException">As <see cref="Decode"/>; the message also names the file.</exception>
    public static DecodedImage DecodeFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return Decode(bytes);
        }
        catch (ImageFormatException e)
        {
            throw new ImageFormatException(path, e);
        }
    }

    /// <summary>Whether the file name ends in an extension this decoder reads (.png, .pbm, .pgm, .ppm, .pnm; any case).</summary>
    public static bool IsSupportedExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path);
        return Array.Exists(Extensions, e => string.Equals(e, ext, StringComparison.OrdinalIgnoreCase));
    }
}
