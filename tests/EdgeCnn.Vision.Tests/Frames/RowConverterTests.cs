using EdgeCnn.Vision.Frames;
using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Vision.Tests.Frames;

/// <summary>
/// The vectorized row converter against the scalar spec, bit for bit: every uncompressed format, widths covering the
/// vector bodies and every tail, padded strides, and every start column (odd starts split a YUYV/NV12 pixel pair).
/// </summary>
public class RowConverterTests
{
    public static TheoryData<PixelFormat, int, int> Cases()
    {
        var data = new TheoryData<PixelFormat, int, int>();
        foreach (PixelFormat f in TestFrames.Uncompressed)
        {
            foreach (int w in new[] { 2, 4, 6, 8, 10, 14, 16, 18, 30, 32, 34, 46, 64, 66 })
            {
                data.Add(f, w, 0);
                data.Add(f, w, 6); // padded stride
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_row_and_column_range_matches_the_scalar_reference_exactly(PixelFormat pixelFormat, int width, int padding)
    {
        const int height = 4;
        int stride = FrameFormat.PackedRowBytes(pixelFormat, width) + padding;
        var format = new FrameFormat(pixelFormat, width, height, stride);
        byte[] frame = TestFrames.Random(format, seed: width * 31 + padding);
        int channels = format.Channels;
        var expected = new byte[width * height * channels];
        PixelConversionReference.Convert(frame, format, expected);

        var planes = new float[3][];
        for (int y = 0; y < height; y++)
        {
            for (int x0 = 0; x0 < width; x0++)
            {
                for (int count = 1; x0 + count <= width; count += count < 12 ? 1 : 7)
                {
                    planes[0] = new float[count];
                    planes[1] = new float[count];
                    planes[2] = new float[count];
                    RowConverter.Convert(frame, format, y, x0, count, planes[0], planes[1], planes[2]);
                    for (int i = 0; i < count; i++)
                    {
                        for (int c = 0; c < channels; c++)
                        {
                            float want = expected[((y * width) + x0 + i) * channels + c];
                            Assert.True(want == planes[c][i],
                                $"{pixelFormat} {width}x{height} stride {stride}: row {y} x0 {x0} count {count} pixel {x0 + i} channel {c}: {planes[c][i]}, reference {want}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Yuv_reference_gives_the_bt601_limited_range_corners()
    {
        Span<byte> rgb = stackalloc byte[3];
        PixelConversionReference.YuvToRgb(16, 128, 128, rgb);
        Assert.Equal([0, 0, 0], rgb.ToArray());
        PixelConversionReference.YuvToRgb(235, 128, 128, rgb);
        Assert.Equal([255, 255, 255], rgb.ToArray());
        PixelConversionReference.YuvToRgb(81, 90, 240, rgb); // BT.601 red
        Assert.Equal(255, rgb[0]);
        Assert.True(rgb[1] < 2 && rgb[2] < 2, $"red came out as {rgb[0]},{rgb[1]},{rgb[2]}");
    }

    [Fact]
    public void Frame_format_sizes_strides_and_bad_geometry()
    {
        Assert.Equal(640 * 480 * 3 / 2, new FrameFormat(PixelFormat.Nv12, 640, 480).FrameBytes);
        Assert.Equal(1280 * 480, new FrameFormat(PixelFormat.Yuyv, 640, 480).FrameBytes);
        Assert.Equal(1300 * 480, new FrameFormat(PixelFormat.Yuyv, 640, 480, 1300).FrameBytes);
        Assert.Equal(50_000, new FrameFormat(PixelFormat.Mjpeg, 640, 480, 0, 50_000).FrameBytes);
        Assert.Equal("YUYV 640x480 stride 1280", new FrameFormat(PixelFormat.Yuyv, 640, 480).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameFormat(PixelFormat.Rgb24, 10, 10, 29));
        Assert.Contains("even width", Assert.Throws<ArgumentException>(() => new FrameFormat(PixelFormat.Yuyv, 11, 10)).Message, StringComparison.Ordinal);
        Assert.Contains("even width and height", Assert.Throws<ArgumentException>(() => new FrameFormat(PixelFormat.Nv12, 10, 11)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nv12_with_a_padded_plane_height_reads_its_chroma_after_the_padding()
    {
        const int width = 10, height = 6, rows = 16, stride = 12;
        var plain = new FrameFormat(PixelFormat.Nv12, width, height, stride);
        var padded = new FrameFormat(PixelFormat.Nv12, width, height, stride, planeRows: rows);
        Assert.Equal(stride * rows, padded.ChromaOffset);
        Assert.Equal(stride * (rows + (height / 2)), padded.FrameBytes);
        byte[] source = TestFrames.Random(plain, seed: 5);
        var frame = new byte[padded.FrameBytes];
        frame.AsSpan().Fill(0xEE); // the padding rows: reading them would show
        source.AsSpan(0, stride * height).CopyTo(frame);
        source.AsSpan(stride * height).CopyTo(frame.AsSpan(padded.ChromaOffset));

        var want = new byte[width * height * 3];
        var got = new byte[width * height * 3];
        PixelConversionReference.Convert(source, plain, want);
        PixelConversionReference.Convert(frame, padded, got);
        Assert.Equal(want, got);
        var r = new float[width];
        var g = new float[width];
        var b = new float[width];
        for (int y = 0; y < height; y++)
        {
            RowConverter.Convert(frame, padded, y, 0, width, r, g, b);
            for (int x = 0; x < width; x++)
            {
                Assert.Equal(want[((y * width) + x) * 3], r[x]);
                Assert.Equal(want[((y * width) + x) * 3 + 1], g[x]);
                Assert.Equal(want[((y * width) + x) * 3 + 2], b[x]);
            }
        }
    }

    [Theory]
    [InlineData(1920 * 1088 * 3 / 2, 1920, 1080, 1088)] // the plane padded to a multiple of 16 rows
    [InlineData(1920 * 1080 * 3 / 2, 1920, 1080, 1080)] // no padding
    [InlineData(0, 1920, 1080, 1080)]                   // sizeimage not filled in
    [InlineData((1920 * 1080 * 3 / 2) + 4096, 1920, 1080, 1080)] // extra bytes that are not whole rows
    [InlineData(1920 * 4320 * 3 / 2, 1920, 1080, 1080)] // implausible: more than twice the height
    public void Nv12_plane_rows_come_from_sizeimage_only_when_it_has_that_form(long sizeImage, int stride, int height, int rows) =>
        Assert.Equal(rows, FrameFormat.Nv12PlaneRows(sizeImage, stride, height));

    [Fact]
    public void Padded_plane_rows_are_for_nv12_and_at_least_the_height()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameFormat(PixelFormat.Nv12, 8, 8, 8, planeRows: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameFormat(PixelFormat.Yuyv, 8, 8, 16, planeRows: 16));
        Assert.Equal(0, new FrameFormat(PixelFormat.Yuyv, 8, 8).ChromaOffset);
        Assert.Equal(64, new FrameFormat(PixelFormat.Nv12, 8, 8).ChromaOffset);
    }
}
