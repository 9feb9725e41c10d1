using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Sources;

/// <summary>
/// Something that yields frames: a camera, a folder of images, a dataset, or a synthetic pattern. Frames are written into
/// the caller's buffer (at least <see cref="FrameFormat.FrameBytes"/> of <see cref="Format"/>) so a source allocates
/// nothing per frame. A source keeps one format for its life; a camera that reconnects must get the same format back.
/// </summary>
public interface IFrameSource : IDisposable
{
    FrameFormat Format { get; }

    /// <summary>Writes the next frame into <paramref name="frame"/>.</summary>
    /// <returns>false when the source is exhausted (a file source at its end; a camera only when stopped).</returns>
    bool TryRead(Span<byte> frame, out FrameInfo info);
}

/// <summary>
/// What came with a frame: its sequence number, for labelled sources the true class (-1 otherwise), the capture time in
/// nanoseconds of CLOCK_MONOTONIC (for a camera, the driver's timestamp; for files, when it was read), and how many bytes
/// of the buffer it filled (less than <see cref="FrameFormat.FrameBytes"/> only for MJPEG).
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct FrameInfo(long Sequence, int Label, long TimestampNs, int Bytes);
