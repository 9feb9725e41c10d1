using System.Text;
using EdgeCnn.Vision.Frames;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.Vision.Tests.Sources;

public sealed class FileSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("frames").FullName;

    private string Pnm(string name, string magic, int w, int h, byte[] pixels)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes($"{magic}\n{w} {h}\n255\n"), .. pixels]);
        return path;
    }

    [Fact]
    public void A_folder_of_ppm_images_gives_rgb_frames_in_name_order_and_loops()
    {
        Pnm("b.ppm", "P6", 2, 1, [1, 2, 3, 4, 5, 6]);
        Pnm("a.ppm", "P6", 2, 1, [9, 9, 9, 8, 8, 8]);
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not an image");
        using var source = new ImageFolderSource(_dir, loop: true, maxFrames: 3);
        Assert.Equal(new FrameFormat(PixelFormat.Rgb24, 2, 1), source.Format);
        var frame = new byte[6];
        var firsts = new List<byte>();
        while (source.TryRead(frame, out FrameInfo info))
        {
            firsts.Add(frame[0]);
            Assert.Equal(6, info.Bytes);
        }

        Assert.Equal([9, 1, 9], firsts);
    }

    [Fact]
    public void A_single_pgm_file_is_one_grey_frame()
    {
        string path = Pnm("one.pgm", "P5", 3, 2, [1, 2, 3, 4, 5, 6]);
        using var source = new ImageFolderSource(path);
        Assert.Equal(PixelFormat.Grey8, source.Format.PixelFormat);
        var frame = new byte[6];
        Assert.True(source.TryRead(frame, out _));
        Assert.Equal([1, 2, 3, 4, 5, 6], frame);
        Assert.False(source.TryRead(frame, out _));
    }

    [Fact]
    public void Images_of_different_sizes_name_the_file_that_differs()
    {
        Pnm("a.pgm", "P5", 2, 2, [1, 2, 3, 4]);
        string odd = Pnm("b.pgm", "P5", 3, 1, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => new ImageFolderSource(_dir));
        Assert.Contains(odd, e.Message, StringComparison.Ordinal);
        Assert.Contains("must match the first", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_folder_and_missing_path_are_clear_errors()
    {
        Assert.Contains("holds no .png", Assert.Throws<InvalidDataException>(() => new ImageFolderSource(_dir)).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => new ImageFolderSource(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void Idx_writer_round_trips_a_synthetic_sequence()
    {
        string images = Path.Combine(_dir, "p-images"), labels = Path.Combine(_dir, "p-labels");
        using var synthetic = new SyntheticPatternSource(8, 6, 5, seed: 1);
        Assert.Equal(5, IdxWriter.Write(synthetic, 10, images, labels));
        using var again = new SyntheticPatternSource(8, 6, 5, seed: 1);
        using var idx = new IdxFrameSource(images, labels);
        var a = new byte[48];
        var b = new byte[48];
        while (again.TryRead(a, out FrameInfo expected))
        {
            Assert.True(idx.TryRead(b, out FrameInfo actual));
            Assert.Equal(a, b);
            Assert.Equal(expected.Label, actual.Label);
        }

        Assert.False(idx.TryRead(b, out _));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
