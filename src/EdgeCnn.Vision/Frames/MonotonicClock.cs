using System.Diagnostics;

namespace EdgeCnn.Vision.Frames;

/// <summary>
/// Nanoseconds of CLOCK_MONOTONIC, the clock V4L2 stamps buffers with (V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC), so file sources
/// and cameras report comparable times. On Linux Stopwatch reads CLOCK_MONOTONIC at 1 GHz.
/// </summary>
public static class MonotonicClock
{
    public static long NowNs()
    {
        long frequency = Stopwatch.Frequency;
        long ticks = Stopwatch.GetTimestamp();
        return frequency == 1_000_000_000 ? ticks : (long)(ticks * (1e9 / frequency));
    }

    /// <summary>
    /// Runs the clock's one-time initialization (Stopwatch's static constructor, which NativeAOT runs lazily and which
    /// allocates) now: sources call it when constructed so that their first frame allocates nothing.
    /// </summary>
    public static void Initialize() => _ = NowNs();
}
