using System.IO.Compression;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.Vision.Tests;

public sealed class IdxFrameSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idx").FullName;

    private string Write(string name, byte[] bytes, bool gzip)
    {
        string path = Path.Combine(_dir, name);
        using FileStream f = File.Create(path);
        if (gzip)
        {
            using var z = new GZipStream(f, CompressionLevel.Fastest);
            z.Write(bytes);
        }
        else
        {
            f.Write(bytes);
        }

        return path;
    }

    // 3 images of 2x3 pixels: image k has pixels 10k..10k+5; labels 7, 8, 9.
    private static byte[] Images() => [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3, .. Enumerable.Range(0, 3).SelectMany(k => Enumerable.Range(10 * k, 6).Select(v => (byte)v))];

    private static byte[] Labels() => [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_every_image_with_its_label_plain_or_gzipped(bool gzip)
    {
        var source = new IdxFrameSource(Write("i", Images(), gzip), Write("l", Labels(), gzip));
        Assert.Equal((3, 2), (source.Width, source.Height));
        var frame = new byte[6];
        for (int k = 0; k < 3; k++)
        {
            Assert.True(source.TryRead(frame, out FrameInfo info));
            Assert.Equal(Enumerable.Range(10 * k, 6).Select(v => (byte)v), frame);
            Assert.Equal((k, 7 + k, 6), (info.Sequence, info.Label, info.Bytes));
            Assert.True(info.TimestampNs > 0);
        }

        Assert.False(source.TryRead(frame, out _));
    }

    [Fact]
    public void Max_frames_limits_and_missing_labels_read_as_minus_one()
    {
        var source = new IdxFrameSource(Write("i", Images(), false), null, maxFrames: 2);
        var frame = new byte[6];
        Assert.True(source.TryRead(frame, out FrameInfo info));
        Assert.Equal(-1, info.Label);
        Assert.True(source.TryRead(frame, out _));
        Assert.False(source.TryRead(frame, out _));
    }

    [Fact]
    public void Loop_starts_again_at_the_first_image_until_max_frames()
    {
        var source = new IdxFrameSource(Write("i", Images(), false), Write("l", Labels(), false), maxFrames: 7, loop: true);
        var frame = new byte[6];
        var labels = new List<int>();
        long last = -1;
        while (source.TryRead(frame, out FrameInfo info))
        {
            labels.Add(info.Label);
            Assert.Equal(last + 1, info.Sequence);
            last = info.Sequence;
            Assert.Equal((byte)(10 * ((int)info.Sequence % 3)), frame[0]);
        }

        Assert.Equal([7, 8, 9, 7, 8, 9, 7], labels);
    }

    [Fact]
    public void Wrong_magic_or_sizes_are_clear_errors()
    {
        byte[] bad = Images();
        bad[3] = 1;
        Assert.Contains("not an idx3-ubyte", Assert.Throws<InvalidDataException>(() => new IdxFrameSource(Write("bad", bad, false))).Message, StringComparison.Ordinal);
        byte[] truncated = Images()[..^1];
        Assert.Contains("holds 17 pixel bytes", Assert.Throws<InvalidDataException>(() => new IdxFrameSource(Write("t", truncated, false))).Message, StringComparison.Ordinal);
        byte[] labels = Labels()[..^1];
        Assert.Contains("3 labels", Assert.Throws<InvalidDataException>(() => new IdxFrameSource(Write("i", Images(), false), Write("l", labels, false))).Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
