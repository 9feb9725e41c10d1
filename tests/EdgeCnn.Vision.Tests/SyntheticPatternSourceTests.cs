using EdgeCnn.Vision.Sources;

namespace EdgeCnn.Vision.Tests;

public class SyntheticPatternSourceTests
{
    private const int W = 24, H = 16;

    private static (byte[] Pixels, FrameInfo Info)[] ReadAll(long count, ulong seed)
    {
        var source = new SyntheticPatternSource(W, H, count, seed);
        var frames = new List<(byte[], FrameInfo)>();
        var buffer = new byte[W * H];
        while (source.TryRead(buffer, out FrameInfo info))
        {
            frames.Add(((byte[])buffer.Clone(), info));
        }

        return [.. frames];
    }

    [Fact]
    public void Produces_exactly_count_frames_with_cycling_labels_then_stops()
    {
        var frames = ReadAll(7, 1);
        Assert.Equal(7, frames.Length);
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], frames.Select(f => f.Info.Label));
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6], frames.Select(f => f.Info.Sequence));
    }

    [Fact]
    public void Same_seed_same_frames_other_seed_other_frames()
    {
        Assert.Equal(ReadAll(3, 9).Select(f => f.Pixels), ReadAll(3, 9).Select(f => f.Pixels));
        Assert.NotEqual(ReadAll(1, 9)[0].Pixels, ReadAll(1, 10)[0].Pixels);
    }

    [Fact]
    public void Horizontal_stripes_vary_down_the_rows_and_vertical_across_the_columns()
    {
        var frames = ReadAll(2, 5);
        // Noise is +-20 and the two levels are >= 70 apart: within a stripe neighbours differ by <= 40.
        Assert.True(MeanAbsStep(frames[0].Pixels, alongRows: true) < MeanAbsStep(frames[0].Pixels, alongRows: false));
        Assert.True(MeanAbsStep(frames[1].Pixels, alongRows: false) < MeanAbsStep(frames[1].Pixels, alongRows: true));
    }

    [Fact]
    public void Small_buffer_is_a_clear_error()
    {
        var source = new SyntheticPatternSource(W, H, 1, 1);
        ArgumentException e = Assert.Throws<ArgumentException>(() => source.TryRead(new byte[10], out _));
        Assert.Contains("384 needed", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Mean |p(x+1) - p(x)| along rows, or |p(y+1) - p(y)| down columns.</summary>
    private static double MeanAbsStep(byte[] p, bool alongRows)
    {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < H - (alongRows ? 0 : 1); y++)
        {
            for (int x = 0; x < W - (alongRows ? 1 : 0); x++)
            {
                int next = alongRows ? p[(y * W) + x + 1] : p[((y + 1) * W) + x];
                sum += Math.Abs(next - p[(y * W) + x]);
                n++;
            }
        }

        return sum / n;
    }
}
