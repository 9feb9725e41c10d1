namespace EdgeCnn.Vision.Imaging;

/// <summary>
/// An image file that is not one the decoders accept: not PNG/PNM, truncated, corrupt, or beyond the size cap. The message
/// names the byte offset in the file and the rule that was broken, e.g. "PNG chunk IHDR at offset 8: bit depth 3 is not
/// allowed for colour type 2".
/// </summary>
public sealed class ImageFormatException : FormatException
{
    public ImageFormatException()
        : this("image format error")
    {
    }

    public ImageFormatException(string message)
        : base(message)
    {
        Offset = -1;
    }

    public ImageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Offset = -1;
    }

    /// <param name="offset">Byte offset in the file where the broken rule applies.</param>
    /// <param name="where">What sits there, e.g. "PNG chunk IHDR".</param>
    /// <param name="rule">What is wrong, e.g. "bit depth 3 is not allowed for colour type 2".</param>
    public ImageFormatException(long offset, string where, string rule, Exception? innerException = null)
        : base($"{where} at offset {offset}: {rule}", innerException)
    {
        Offset = offset;
    }

    /// <summary>The same error with the file's path in front of the message.</summary>
    internal ImageFormatException(string path, ImageFormatException inner)
        : base($"{path}: {inner.Message}", inner)
    {
        Offset = inner.Offset;
    }

    /// <summary>Byte offset in the file the error refers to; -1 when none applies.</summary>
    public long Offset { get; }
}
