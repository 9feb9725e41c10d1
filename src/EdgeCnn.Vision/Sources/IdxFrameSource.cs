using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeCnn.Vision.Sources;

/// <summary>
/// Frames from an IDX dataset (MNIST, Fashion-MNIST): an idx3-ubyte image file and an optional idx1-ubyte label file,
/// gzipped or not. The files are read once at construction; frames are then copied out without allocation.
/// </summary>
public sealed class IdxFrameSource : IFrameSource
{
    private const int ImageMagic = 0x00000803; // unsigned byte, 3 dimensions
    private const int LabelMagic = 0x00000801; // unsigned byte, 1 dimension
    private readonly byte[] _pixels;
    private readonly byte[]? _labels;
    private readonly int _count;
    private int _next;

    public IdxFrameSource(string imagesPath, string? labelsPath = null, int maxFrames = int.MaxValue)
        : this(ReadAll(imagesPath), labelsPath is null ? null : ReadAll(labelsPath), maxFrames, imagesPath, labelsPath)
    {
    }

    /// <summary>From IDX bytes already in memory (e.g. embedded resources); gzipped bytes are inflated.</summary>
    public IdxFrameSource(byte[] images, byte[]? labels, int maxFrames = int.MaxValue)
        : this(Inflate(images), labels is null ? null : Inflate(labels), maxFrames, "images", "labels")
    {
    }

    private IdxFrameSource(byte[] images, byte[]? labels, int maxFrames, string imagesPath, string? labelsPath)
    {
        if (images.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(images) != ImageMagic)
        {
            throw new InvalidDataException($"{imagesPath}: not an idx3-ubyte image file (magic 0x00000803 expected)");
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        Height = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        Width = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (count < 0 || Height < 1 || Width < 1 || (long)count * Height * Width != images.Length - 16)
        {
            throw new InvalidDataException($"{imagesPath}: header says {count} images of {Height}x{Width}, the file holds {images.Length - 16} pixel bytes");
        }

        _count = Math.Min(count, Math.Max(0, maxFrames));
        _pixels = images;
        if (labels is not null)
        {
            if (labels.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(labels) != LabelMagic
                || BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4)) != count || labels.Length - 8 != count)
            {
                throw new InvalidDataException($"{labelsPath}: not an idx1-ubyte label file with {count} labels");
            }

            _labels = labels;
        }
    }

    public int Width { get; }

    public int Height { get; }

    public int BytesPerPixel => 1;

    public int Count => _count;

    public bool TryRead(Span<byte> pixels, out FrameInfo info)
    {
        if (_next >= _count)
        {
            info = default;
            return false;
        }

        int size = Width * Height;
        if (pixels.Length < size)
        {
            throw new ArgumentException($"frame buffer holds {pixels.Length} bytes; {size} needed", nameof(pixels));
        }

        _pixels.AsSpan(16 + (_next * size), size).CopyTo(pixels);
        info = new FrameInfo(_next, _labels is null ? -1 : _labels[8 + _next]);
        _next++;
        return true;
    }

    private static byte[] ReadAll(string path) => Inflate(File.ReadAllBytes(path));

    /// <summary>The bytes, inflated when they start with the gzip magic.</summary>
    private static byte[] Inflate(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B)
        {
            return bytes;
        }

        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }
}
