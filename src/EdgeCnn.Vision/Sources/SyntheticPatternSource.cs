using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Sources;

/// <summary>
/// Deterministic 8-bit grey frames of three labelled patterns (horizontal stripes, vertical stripes, checkerboard) with a
/// random period, phase and contrast and additive noise: a frame source for machines without a camera and a labelled set
/// for the built-in demo model.
/// </summary>
public sealed class SyntheticPatternSource : IFrameSource
{
    public const int HorizontalStripes = 0;
    public const int VerticalStripes = 1;
    public const int Checkerboard = 2;

    public static readonly string[] Labels = ["horizontal-stripes", "vertical-stripes", "checkerboard"];

    private readonly long _count;
    private ulong _state;
    private long _sequence;

    /// <param name="count">frames to produce; -1 for endless</param>
    public SyntheticPatternSource(int width, int height, long count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 4);
        Format = new FrameFormat(PixelFormat.Grey8, width, height);
        MonotonicClock.Initialize();
        _count = count;
        _state = seed | 1;
    }

    public FrameFormat Format { get; }

    public int Width => Format.Width;

    public int Height => Format.Height;

    public bool TryRead(Span<byte> pixels, out FrameInfo info)
    {
        if (_count >= 0 && _sequence >= _count)
        {
            info = default;
            return false;
        }

        if (pixels.Length < Width * Height)
        {
            throw new ArgumentException($"frame buffer holds {pixels.Length} bytes; {Width * Height} needed", nameof(pixels));
        }

        int label = (int)(_sequence % 3);
        int period = 2 + (int)(Next() % 4);        // stripe width 2..5 pixels
        int phase = (int)(Next() % (ulong)period);
        int low = (int)(Next() % 80);              // dark level 0..79
        int high = 150 + (int)(Next() % 106);      // bright level 150..255
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                bool on = label switch
                {
                    HorizontalStripes => ((y + phase) / period) % 2 == 0,
                    VerticalStripes => ((x + phase) / period) % 2 == 0,
                    _ => ((((x + phase) / period) + ((y + phase) / period)) % 2) == 0,
                };
                int noise = (int)(Next() % 41) - 20;
                pixels[(y * Width) + x] = (byte)Math.Clamp((on ? high : low) + noise, 0, 255);
            }
        }

        info = new FrameInfo(_sequence, label, MonotonicClock.NowNs(), Width * Height);
        _sequence++;
        return true;
    }

    public void Dispose()
    {
    }

    /// <summary>xorshift64*: fast, deterministic across platforms.</summary>
    private ulong Next()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return (_state * 0x2545F4914F6CDD1DUL) >> 33;
    }
}
