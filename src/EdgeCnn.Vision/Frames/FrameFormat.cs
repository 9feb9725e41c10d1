using System.Globalization;

namespace EdgeCnn.Vision.Frames;

/// <summary>
/// What a frame's bytes are: pixel format, size in pixels and the bytes per row (the stride, which a camera driver may pad
/// beyond the pixels). For NV12 the stride is the Y plane's; the interleaved UV plane follows the Y plane with the same
/// stride and half the rows, at <see cref="ChromaOffset"/> (after <c>planeRows</c> rows: the height, or more when the
/// driver pads the plane's height, as its sizeimage then shows). For MJPEG the stride is 0 and <see cref="FrameBytes"/> is the largest frame the source delivers.
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct FrameFormat
{
    public FrameFormat(PixelFormat pixelFormat, int width, int height, int stride = 0, int maxCompressedBytes = 0, int planeRows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int packed = PackedRowBytes(pixelFormat, width);
        if (pixelFormat == PixelFormat.Mjpeg)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxCompressedBytes, 1);
            stride = 0;
        }
        else
        {
            stride = stride == 0 ? packed : stride;
            if (stride < packed)
            {
                throw new ArgumentOutOfRangeException(nameof(stride), stride, $"a {pixelFormat} row of {width} pixels needs {packed} bytes");
            }

            if (pixelFormat is PixelFormat.Yuyv or PixelFormat.Nv12 && (width % 2 != 0 || (pixelFormat == PixelFormat.Nv12 && height % 2 != 0)))
            {
                throw new ArgumentException($"{pixelFormat} needs an even width{(pixelFormat == PixelFormat.Nv12 ? " and height" : string.Empty)}, not {width}x{height}", nameof(width));
            }
        }

        if (planeRows != 0 && (pixelFormat != PixelFormat.Nv12 || planeRows < height))
        {
            throw new ArgumentOutOfRangeException(nameof(planeRows), planeRows, $"padded plane rows apply to NV12 only and are at least the height ({height})");
        }

        planeRows = planeRows == 0 ? height : planeRows;
        PixelFormat = pixelFormat;
        Width = width;
        Height = height;
        Stride = stride;
        long bytes = pixelFormat switch
        {
            PixelFormat.Mjpeg => maxCompressedBytes,
            PixelFormat.Nv12 => (long)stride * (planeRows + (height / 2)),
            _ => (long)stride * height,
        };
        ChromaOffset = pixelFormat == PixelFormat.Nv12 ? (int)Math.Min((long)stride * planeRows, int.MaxValue) : 0;
        FrameBytes = bytes <= int.MaxValue ? (int)bytes : throw new ArgumentOutOfRangeException(nameof(height), "frame larger than 2 GiB");
    }

    public PixelFormat PixelFormat { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes from one row to the next (of the Y plane for NV12); 0 for MJPEG.</summary>
    public int Stride { get; }

    /// <summary>NV12: where the UV plane starts (stride times the Y plane's rows, padding included); 0 otherwise.</summary>
    public int ChromaOffset { get; }

    /// <summary>Bytes a frame buffer must hold.</summary>
    public int FrameBytes { get; }

    /// <summary>Channels after conversion: 1 for grey, 3 for every colour format.</summary>
    public int Channels => PixelFormat == PixelFormat.Grey8 ? 1 : 3;

    /// <summary>Bytes of one row of <paramref name="width"/> pixels without padding (0 for MJPEG).</summary>
    public static int PackedRowBytes(PixelFormat format, int width) => format switch
    {
        PixelFormat.Grey8 or PixelFormat.Nv12 => width,
        PixelFormat.Rgb24 or PixelFormat.Bgr24 => checked(width * 3),
        PixelFormat.Yuyv => checked(width * 2),
        PixelFormat.Mjpeg => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
    };

    /// <summary>
    /// The rows of an NV12 Y plane as a V4L2 driver lays it out: some (the Raspberry Pi's bcm2835 camera and codec
    /// drivers) pad the plane's height to a multiple of 16 and show it only in sizeimage = stride * rows * 3 / 2. The
    /// height when sizeimage says nothing more (0, too small, or not of that form).
    /// </summary>
    public static int Nv12PlaneRows(long sizeImage, int stride, int height)
    {
        long twice = sizeImage * 2, plane = 3L * stride;
        if (stride <= 0 || twice % plane != 0)
        {
            return height;
        }

        long rows = twice / plane;
        return rows > height && rows <= 2L * height && rows % 2 == 0 ? (int)rows : height;
    }

    /// <summary>The FourCC as text ("YUYV"), as V4L2 tools print it.</summary>
    public static string FourCc(uint code) => string.Create(4, code, static (s, c) =>
    {
        for (int i = 0; i < 4; i++)
        {
            char ch = (char)((c >> (8 * i)) & 0xFF);
            s[i] = ch is >= ' ' and <= '~' ? ch : '?';
        }
    });

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FourCc((uint)PixelFormat)} {Width}x{Height} stride {Stride}");
}
