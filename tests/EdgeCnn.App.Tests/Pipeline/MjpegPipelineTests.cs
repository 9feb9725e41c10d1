using System.Text;
using EdgeCnn.App.Pipeline;
using EdgeCnn.Device.Config;
using EdgeCnn.Device.Output;
using EdgeCnn.Vision.Capture;
using EdgeCnn.Vision.Frames;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.App.Tests.Pipeline;

/// <summary>MJPEG frames through the pipeline: decoded by libturbojpeg; a corrupt frame is dropped and reported, never fatal.</summary>
public sealed class MjpegPipelineTests
{
    [Fact]
    public void Corrupt_jpeg_frames_are_dropped_and_the_next_frame_is_used()
    {
        Assert.True(TurboJpeg.IsAvailable, "libturbojpeg is not installed: " + TurboJpeg.Package + " (tests/run installs it)");
        byte[] good;
        using (TurboJpeg jpeg = TurboJpeg.Open())
        {
            var rgb = new byte[64 * 48 * 3];
            for (int i = 0; i < rgb.Length; i++)
            {
                rgb[i] = (byte)((i / 3 % 64) / 8 % 2 == 0 ? 30 : 220); // vertical stripes, 8 pixels wide
            }

            good = jpeg.Encode(rgb, 64, 48, 3, quality: 95);
        }

        byte[] corrupt = [.. good[..20], .. new byte[200]]; // header intact, entropy data garbage and truncated
        var source = new ListSource(new FrameFormat(PixelFormat.Mjpeg, 64, 48, 0, good.Length * 2), [good, corrupt, corrupt, good]);
        EdgeConfig config = ConfigLoader.Parse("""{ "model": "builtin:patterns", "systemd": { "notify": false } }""", "test", ".");
        var stream = new MemoryStream();
        using (var pipeline = new EdgePipeline(config, "test", output: new JsonLinesWriter(stream, ownsStream: false), source: source))
        {
            var ticks = default(StageTicks);
            Assert.True(pipeline.Step(ref ticks));
            Assert.Equal("vertical-stripes", pipeline.Post.Labels[pipeline.Post.Best]);
            Assert.True(pipeline.Step(ref ticks)); // skips both corrupt frames, runs the last good one
            Assert.False(pipeline.Step(ref ticks));
            Assert.Equal((2L, 2L), (pipeline.Frames, pipeline.CorruptFrames));
        }

        string json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(2, json.Split('\n').Count(l => l.StartsWith("{\"event\":\"frame-dropped\",\"frame\":", StringComparison.Ordinal)));
        string dropped = json.Split('\n').First(l => l.Contains("frame-dropped", StringComparison.Ordinal));
        Assert.True(dropped.Contains("jpeg", StringComparison.OrdinalIgnoreCase), dropped); // the decoder's complaint
    }

    private sealed class ListSource(FrameFormat format, byte[][] frames) : IFrameSource
    {
        private int _next;

        public FrameFormat Format { get; } = format;

        public bool TryRead(Span<byte> frame, out FrameInfo info)
        {
            if (_next >= frames.Length)
            {
                info = default;
                return false;
            }

            frames[_next].CopyTo(frame);
            info = new FrameInfo(_next, -1, MonotonicClock.NowNs(), frames[_next].Length);
            _next++;
            return true;
        }

        public void Dispose()
        {
        }
    }
}
