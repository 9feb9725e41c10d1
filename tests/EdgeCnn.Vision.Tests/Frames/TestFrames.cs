using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Tests.Frames;

/// <summary>Random frames of any format, with row padding filled with a marker so reading padding shows up.</summary>
internal static class TestFrames
{
    public static byte[] Random(FrameFormat format, int seed)
    {
        var rng = new Random(seed);
        var frame = new byte[format.FrameBytes];
        rng.NextBytes(frame);
        int packed = FrameFormat.PackedRowBytes(format.PixelFormat, format.Width);
        int rows = format.PixelFormat == PixelFormat.Nv12 ? format.Height * 3 / 2 : format.Height;
        for (int y = 0; y < rows; y++)
        {
            frame.AsSpan((y * format.Stride) + packed, format.Stride - packed).Fill(0xEE);
        }

        return frame;
    }

    public static readonly PixelFormat[] Uncompressed = [PixelFormat.Grey8, PixelFormat.Rgb24, PixelFormat.Bgr24, PixelFormat.Yuyv, PixelFormat.Nv12];
}
