namespace EdgeCnn.Vision.Frames;

/// <summary>
/// The executable spec of pixel-format conversion: plain scalar loops, slow on purpose. A frame becomes packed 8-bit RGB
/// (colour formats) or grey (Grey8). The vectorized row converter of the fused preprocessing must match it exactly.
/// YUV is BT.601 limited range (what UVC webcams and V4L2's default SMPTE 170M colorspace send), in 8-bit fixed point:
/// <code>
/// c = Y - 16, d = U - 128, e = V - 128
/// R = clamp((298 c + 409 e + 128) >> 8)
/// G = clamp((298 c - 100 d - 208 e + 128) >> 8)
/// B = clamp((298 c + 516 d + 128) >> 8)
/// </code>
/// The largest magnitude is 298 * 239 + 516 * 127 &lt; 2^17, far inside int32.
/// </summary>
public static class PixelConversionReference
{
    /// <summary>Channels of the converted image: 1 for Grey8, 3 otherwise.</summary>
    public static int Channels(PixelFormat format) => format == PixelFormat.Grey8 ? 1 : 3;

    /// <summary>Converts an uncompressed frame to packed RGB24 (or Grey8 for a grey frame): Width * Height * Channels bytes.</summary>
    public static void Convert(ReadOnlySpan<byte> frame, FrameFormat format, Span<byte> destination)
    {
        int w = format.Width, h = format.Height, stride = format.Stride;
        int channels = Channels(format.PixelFormat);
        if (destination.Length < w * h * channels)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; {w * h * channels} needed", nameof(destination));
        }

        if (frame.Length < format.FrameBytes || format.PixelFormat == PixelFormat.Mjpeg)
        {
            throw new ArgumentException($"a {format} frame needs {format.FrameBytes} bytes of raw pixels; got {frame.Length}", nameof(frame));
        }

        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int o = ((y * w) + x) * channels;
                switch (format.PixelFormat)
                {
                    case PixelFormat.Grey8:
                        destination[o] = frame[(y * stride) + x];
                        break;
                    case PixelFormat.Rgb24:
                    case PixelFormat.Bgr24:
                        int s = (y * stride) + (3 * x);
                        bool bgr = format.PixelFormat == PixelFormat.Bgr24;
                        destination[o] = frame[s + (bgr ? 2 : 0)];
                        destination[o + 1] = frame[s + 1];
                        destination[o + 2] = frame[s + (bgr ? 0 : 2)];
                        break;
                    case PixelFormat.Yuyv:
                        int p = (y * stride) + (4 * (x / 2));
                        YuvToRgb(frame[p + (2 * (x % 2))], frame[p + 1], frame[p + 3], destination.Slice(o, 3));
                        break;
                    case PixelFormat.Nv12:
                        int uv = format.ChromaOffset + ((y / 2) * stride) + (2 * (x / 2));
                        YuvToRgb(frame[(y * stride) + x], frame[uv], frame[uv + 1], destination.Slice(o, 3));
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(format), format.PixelFormat, "not an uncompressed pixel format");
                }
            }
        }
    }

    /// <summary>One BT.601 limited-range YUV pixel to R, G, B.</summary>
    public static void YuvToRgb(int y, int u, int v, Span<byte> rgb)
    {
        int c = y - 16, d = u - 128, e = v - 128;
        rgb[0] = Clamp(((298 * c) + (409 * e) + 128) >> 8);
        rgb[1] = Clamp(((298 * c) - (100 * d) - (208 * e) + 128) >> 8);
        rgb[2] = Clamp(((298 * c) + (516 * d) + 128) >> 8);
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
