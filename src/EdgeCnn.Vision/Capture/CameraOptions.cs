using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Capture;

/// <summary>What to ask a V4L2 camera for. The driver may choose otherwise; <see cref="V4L2Camera.Format"/> says what it chose.</summary>
/// <param name="Device">device node; prefer a stable /dev/v4l/by-id/... path, which survives re-enumeration on replug</param>
/// <param name="Buffers">mmap buffers: at least 3 so one is being filled while the newest waits and one is being copied</param>
/// <param name="StallTimeoutMs">no frame for this long counts as a lost camera: close and reopen</param>
/// <param name="MaxBackoffMs">reconnect attempts back off 50, 100, 200 ... ms up to this</param>
public sealed record CameraOptions(
    string Device,
    int Width,
    int Height,
    PixelFormat PixelFormat,
    int Fps = 30,
    int Buffers = 4,
    int StallTimeoutMs = 5000,
    int MaxBackoffMs = 800);

/// <summary>What happened to a camera, for the app's event log.</summary>
public enum CameraEventKind
{
    Opened,
    Lost,
    Reconnected,
    ReconnectFailed,
}

/// <param name="Errno">the errno that caused a loss or failed reconnect (0 otherwise)</param>
/// <param name="Detail">the negotiated format, or the failing operation</param>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct CameraEvent(CameraEventKind Kind, string Device, int Errno, string Detail);
