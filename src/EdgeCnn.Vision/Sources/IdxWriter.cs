using System.Buffers.Binary;

namespace EdgeCnn.Vision.Sources;

/// <summary>
/// Writes grey frames of a source as an IDX dataset (idx3-ubyte images, idx1-ubyte labels) that <see cref="IdxFrameSource"/>
/// reads back: how a synthetic or captured sequence becomes a file source for soak tests and regression runs.
/// </summary>
public static class IdxWriter
{
    /// <summary>Reads up to <paramref name="count"/> Grey8 frames from the source; returns how many were written.</summary>
    public static int Write(IFrameSource source, int count, string imagesPath, string labelsPath)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Format.PixelFormat != Frames.PixelFormat.Grey8 || source.Format.Stride != source.Format.Width)
        {
            throw new ArgumentException($"IDX holds packed 8-bit grey frames; the source gives {source.Format}", nameof(source));
        }

        var frame = new byte[source.Format.FrameBytes];
        using var images = new MemoryStream();
        var labels = new List<byte>();
        int n = 0;
        while (n < count && source.TryRead(frame, out FrameInfo info))
        {
            images.Write(frame);
            labels.Add((byte)Math.Clamp(info.Label, 0, 255));
            n++;
        }

        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, 0x00000803);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], n);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], source.Format.Height);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], source.Format.Width);
        using (FileStream f = File.Create(imagesPath))
        {
            f.Write(header);
            images.Position = 0;
            images.CopyTo(f);
        }

        BinaryPrimitives.WriteInt32BigEndian(header, 0x00000801);
        using (FileStream f = File.Create(labelsPath))
        {
            f.Write(header[..8]);
            f.Write(labels.ToArray());
        }

        return n;
    }
}
