using EdgeCnn.Vision.Imaging;

namespace EdgeCnn.Vision.Tests.Imaging;

public class ImageDecoderFixtureTests
{
    public static TheoryData<string> FixtureFiles() => [.. Fixtures.All.Select(e => e.File)];

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void Every_fixture_decodes_to_the_independent_decoders_pixels(string file)
    {
        Fixtures.Entry e = Fixtures.Get(file);
        DecodedImage image = ImageDecoder.Decode(Fixtures.Bytes(file));
        Assert.Equal((e.Width, e.Height, e.Channels), (image.Width, image.Height, image.Channels));
        byte[] expected = Fixtures.Expected(file);
        int firstDiff = Enumerable.Range(0, expected.Length).FirstOrDefault(i => expected[i] != image.Pixels[i], -1);
        Assert.True(firstDiff < 0, firstDiff < 0 ? "" :
            $"{file}: byte {firstDiff} (x {firstDiff / e.Channels % e.Width}, y {firstDiff / e.Channels / e.Width}, c {firstDiff % e.Channels}) is {image.Pixels[firstDiff]}, expected {expected[firstDiff]}");
    }

    [Fact]
    public void The_corpus_covers_every_colour_type_bit_depth_and_interlace()
    {
        string[] names = [.. Fixtures.All.Select(e => e.File)];
        foreach ((int type, int[] depths) in new[] { (0, new[] { 1, 2, 4, 8, 16 }), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16]) })
        {
            foreach (int depth in depths)
            {
                Assert.Contains($"own_t{type}_d{depth}_plain_13x11.png", names, StringComparer.Ordinal);
                Assert.Contains($"own_t{type}_d{depth}_adam7_13x11.png", names, StringComparer.Ordinal);
            }
        }

        for (int f = 0; f < 5; f++)
        {
            Assert.Contains($"own_filter{f}_rgba8.png", names, StringComparer.Ordinal);
        }

        foreach (string p in new[] { ".pbm", ".pgm", ".ppm" })
        {
            Assert.Contains(names, n => n.EndsWith(p, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DecodeFile_reads_a_file_and_names_it_in_errors()
    {
        string path = Path.Combine(Fixtures.Folder, "p6.ppm");
        Assert.Equal(Fixtures.Expected("p6.ppm"), ImageDecoder.DecodeFile(path).Pixels);

        string bad = Path.Combine(Directory.CreateTempSubdirectory("img").FullName, "bad.png");
        File.WriteAllBytes(bad, [.. Fixtures.Bytes("pil_rgb.png").AsSpan(0, 40)]);
        ImageFormatException e = Assert.Throws<ImageFormatException>(() => ImageDecoder.DecodeFile(bad));
        Assert.StartsWith(bad + ": PNG", e.Message, StringComparison.Ordinal);
        Assert.True(e.Offset > 0);
    }

    [Theory]
    [InlineData("a.png", true)]
    [InlineData("dir.x/B.PGM", true)]
    [InlineData("c.ppm", true)]
    [InlineData("c.pbm", true)]
    [InlineData("c.pnm", true)]
    [InlineData("c.jpg", false)]
    [InlineData("png", false)]
    public void IsSupportedExtension_goes_by_the_name(string path, bool supported) => Assert.Equal(supported, ImageDecoder.IsSupportedExtension(path));

    [Fact]
    public void Real_photos_beside_the_repository_decode_to_PILs_pixels()
    {
        // shared/images (four real PNG photos) is extra material beside the clone on the team's machines, not part of the
        // repository: absent on a fresh machine, and then this case has nothing to compare.
        string? folder = FindUp("shared/images");
        if (folder is null)
        {
            return;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Folder, "shared_images.json")));
        int compared = 0;
        foreach (System.Text.Json.JsonProperty p in doc.RootElement.EnumerateObject())
        {
            string path = Path.Combine(folder, p.Name);
            if (!File.Exists(path))
            {
                continue;
            }

            DecodedImage image = ImageDecoder.DecodeFile(path);
            Assert.Equal(
                (p.Value.GetProperty("width").GetInt32(), p.Value.GetProperty("height").GetInt32(), p.Value.GetProperty("channels").GetInt32()),
                (image.Width, image.Height, image.Channels));
            Assert.Equal(p.Value.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image.Pixels)));
            compared++;
        }

        Assert.True(compared > 0, $"{folder} holds none of the photos listed in shared_images.json");
    }

    private static string? FindUp(string relative)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
