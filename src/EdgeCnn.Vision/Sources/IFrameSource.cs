namespace EdgeCnn.Vision.Sources;

/// <summary>
/// Something that yields frames: a camera, a folder of images, a dataset, or a synthetic pattern. Frames are written into
/// the caller's buffer so a source allocates nothing per frame.
/// </summary>
public interface IFrameSource
{
    int Width { get; }

    int Height { get; }

    /// <summary>Bytes per pixel of the frames written (1 for 8-bit grey).</summary>
    int BytesPerPixel { get; }

    /// <summary>Writes the next frame into <paramref name="pixels"/> (Width * Height * BytesPerPixel bytes).</summary>
    /// <returns>false when the source is exhausted.</returns>
    bool TryRead(Span<byte> pixels, out FrameInfo info);
}

/// <summary>What came with a frame: its sequence number and, for labelled sources, the true class.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct FrameInfo(long Sequence, int Label);
