using System.Buffers.Binary;
using System.IO.Compression;
using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Sources;

/// <summary>
/// Frames from an IDX dataset (MNIST, Fashion-MNIST): an idx3-ubyte image file and an optional idx1-ubyte label file,
/// gzipped or not. The files are read once at construction; frames are then copied out without allocation. With
/// <c>loop</c> the source starts again at the first image when it reaches the end (a file source for soak tests) until
/// <c>maxFrames</c> frames have been read.
/// </summary>
public sealed class IdxFrameSource : IFrameSource
{
    private const int ImageMagic = 0x00000803; // unsigned byte, 3 dimensions
    private const int LabelMagic = 0x00000801; // unsigned byte, 1 dimension
    private readonly byte[] _pixels;
    private readonly byte[]? _labels;
    private readonly int _count;
    private readonly long _maxFrames;
    private readonly bool _loop;
    private int _next;
    private long _sequence;

    public IdxFrameSource(string imagesPath, string? labelsPath = null, long maxFrames = long.MaxValue, bool loop = false)
        : this(ReadAll(imagesPath), labelsPath is null ? null : ReadAll(labelsPath), maxFrames, loop, imagesPath, labelsPath)
    {
    }

    /// <summary>From IDX bytes already in memory (e.g. embedded resources); gzipped bytes are inflated.</summary>
    public IdxFrameSource(byte[] images, byte[]? labels, long maxFrames = long.MaxValue, bool loop = false)
        : this(Inflate(images), labels is null ? null : Inflate(labels), maxFrames, loop, "images", "labels")
    {
    }

    private IdxFrameSource(byte[] images, byte[]? labels, long maxFrames, bool loop, string imagesPath, string? labelsPath)
    {
        if (images.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(images) != ImageMagic)
        {
            throw new InvalidDataException($"{imagesPath}: not an idx3-ubyte image file (magic 0x00000803 expected)");
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        int height = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        int width = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (count < 0 || height < 1 || width < 1 || (long)count * height * width != images.Length - 16)
        {
            throw new InvalidDataException($"{imagesPath}: header says {count} images of {height}x{width}, the file holds {images.Length - 16} pixel bytes");
        }

        Format = new FrameFormat(PixelFormat.Grey8, width, height);
        MonotonicClock.Initialize();
        _count = count;
        _loop = loop && count > 0;
        _maxFrames = Math.Max(0, _loop ? maxFrames : Math.Min(count, maxFrames));
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

    public FrameFormat Format { get; }

    public int Width => Format.Width;

    public int Height => Format.Height;

    /// <summary>Images in the file.</summary>
    public int Count => _count;

    /// <summary>Frames this source yields: the images in the file (or fewer), or with loop up to maxFrames.</summary>
    public long Frames => _maxFrames;

    public bool TryRead(Span<byte> frame, out FrameInfo info)
    {
        if (_sequence >= _maxFrames)
        {
            info = default;
            return false;
        }

        int size = Format.FrameBytes;
        if (frame.Length < size)
        {
            throw new ArgumentException($"frame buffer holds {frame.Length} bytes; {size} needed", nameof(frame));
        }

        if (_next >= _count)
        {
            _next = 0; // only reached with loop: _maxFrames caps a non-looping source at the image count
        }

        _pixels.AsSpan(16 + (_next * size), size).CopyTo(frame);
        info = new FrameInfo(_sequence, _labels is null ? -1 : _labels[8 + _next], MonotonicClock.NowNs(), size);
        _next++;
        _sequence++;
        return true;
    }

    public void Dispose()
    {
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
