using System.Diagnostics;

namespace EdgeCnn.Vision.Frames;

/// <summary>
/// Nanoseconds of CLOCK_MONOTONIC, the clock V4L2 stamps buffers with (V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC), so file sources
/// and cameras report comparable times. On Linux Stopwatch reads CLOCK_MONOTONIC at 1 GHz.
/// </summary>
public static class MonotonicClock
{
    private static readonly double s_nsPerTick = 1e9 / Stopwatch.Frequency;

    public static long NowNs() => Stopwatch.Frequency == 1_000_000_000 ? Stopwatch.GetTimestamp() : (long)(Stopwatch.GetTimestamp() * s_nsPerTick);
}
