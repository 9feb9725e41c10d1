using System.Globalization;
using EdgeCnn.Vision.Frames;
using EdgeCnn.Vision.Imaging;

namespace EdgeCnn.Vision.Sources;

/// <summary>
/// Frames from a PNG/PGM/PPM file or a folder of them (sorted by name), decoded once at construction by
/// <see cref="ImageDecoder"/> so reading a frame is a copy. A frame source has one format: every image must have the size and
/// channel count of the first (the error names the file that differs). Grey images give Grey8 frames, colour ones Rgb24.
/// </summary>
public sealed class ImageFolderSource : IFrameSource
{
    /// <summary>Decoded bytes kept in memory at most (256 MiB): a folder larger than this is a clear error, not an OOM.</summary>
    public const long MaxBytes = 256L << 20;

    private readonly byte[][] _images;
    private readonly long _maxFrames;
    private int _next;
    private long _sequence;

    public ImageFolderSource(string path, bool loop = false, long maxFrames = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] files = Directory.Exists(path)
            ? [.. Directory.EnumerateFiles(path).Where(ImageDecoder.IsSupportedExtension).Order(StringComparer.Ordinal)]
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"{path}: no such image file or folder", path);
        if (files.Length == 0)
        {
            throw new InvalidDataException($"{path}: the folder holds no .png, .pgm, .ppm or .pnm file");
        }

        Files = files;
        _images = new byte[files.Length][];
        long total = 0;
        for (int i = 0; i < files.Length; i++)
        {
            DecodedImage image = ImageDecoder.DecodeFile(files[i]);
            if (i == 0)
            {
                Format = new FrameFormat(image.Channels == 1 ? PixelFormat.Grey8 : PixelFormat.Rgb24, image.Width, image.Height);
            }
            else if (image.Width != Format.Width || image.Height != Format.Height || image.Channels != Format.Channels)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{files[i]}: {image.Width}x{image.Height} with {image.Channels} channel(s); every image of a folder source must match the first ({files[0]}: {Format.Width}x{Format.Height}, {Format.Channels})"));
            }

            total += image.Pixels.Length;
            if (total > MaxBytes)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: the decoded images exceed {MaxBytes >> 20} MiB at {files[i]}"));
            }

            _images[i] = image.Pixels;
        }

        _maxFrames = loop ? maxFrames : Math.Min(maxFrames, files.Length);
        MonotonicClock.Initialize();
    }

    public FrameFormat Format { get; }

    /// <summary>The image files, in frame order.</summary>
    public IReadOnlyList<string> Files { get; }

    public bool TryRead(Span<byte> frame, out FrameInfo info)
    {
        if (_sequence >= _maxFrames)
        {
            info = default;
            return false;
        }

        if (_next >= _images.Length)
        {
            _next = 0;
        }

        byte[] image = _images[_next++];
        image.CopyTo(frame);
        info = new FrameInfo(_sequence++, -1, MonotonicClock.NowNs(), image.Length);
        return true;
    }

    public void Dispose()
    {
    }
}
