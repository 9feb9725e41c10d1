namespace EdgeCnn.Vision.Frames;

/// <summary>
/// The pixel layouts frames arrive in. Values are the V4L2 FourCC codes (little-endian 'Y','U','Y','V' etc.), so a camera's
/// format maps to this enum without a table.
/// </summary>
public enum PixelFormat : uint
{
    /// <summary>8-bit luma only, one byte per pixel (V4L2 GREY).</summary>
    Grey8 = 0x59455247,

    /// <summary>Packed 8-bit R, G, B, three bytes per pixel (V4L2 RGB3).</summary>
    Rgb24 = 0x33424752,

    /// <summary>Packed 8-bit B, G, R, three bytes per pixel (V4L2 BGR3).</summary>
    Bgr24 = 0x33524742,

    /// <summary>4:2:2 packed Y0 U Y1 V: two pixels in four bytes (V4L2 YUYV).</summary>
    Yuyv = 0x56595559,

    /// <summary>4:2:0: a full-size Y plane, then one half-size plane of interleaved U V pairs (V4L2 NV12).</summary>
    Nv12 = 0x3231564E,

    /// <summary>Motion JPEG: each frame is a complete JPEG image of varying size (V4L2 MJPG).</summary>
    Mjpeg = 0x47504A4D,
}
