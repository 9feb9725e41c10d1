using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace EdgeCnn.Runtime.Diagnostics;

/// <summary>One probe loop: runs the given number of iterations and returns the multiply-accumulates it did.</summary>
internal sealed record ProbePath(Func<long, long> Loop, string Method);

/// <summary>What a peak was measured for.</summary>
public enum PeakKind
{
    /// <summary>fp32 fused multiply-adds: one MAC per lane per instruction.</summary>
    Fp32Fma,

    /// <summary>int8 x int8 multiply-accumulates into int32.</summary>
    Int8Mac,
}

/// <summary>
/// One measured peak: the best rate over the repeats, the instruction path that produced it (<see cref="Method"/>: e.g.
/// "avx2-fma vfmadd231ps ymm, 12 independent accumulators") and the work behind it.
/// </summary>
public sealed record PeakMeasurement(PeakKind Kind, string Method, double MacsPerSecond, long Macs, double Seconds)
{
    /// <summary>Billions of multiply-accumulates per second.</summary>
    public double GMacsPerSecond => MacsPerSecond / 1e9;

    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Kind}: {GMacsPerSecond:F2} GMAC/s ({Method})");
}

/// <summary>
/// Measures the multiply-accumulate rate one core reaches: the roof a kernel's GMAC/s is compared with ("% of peak").
/// Each probe is a loop of independent accumulator chains, enough of them to cover the instruction's latency times the
/// core's vector pipes, so only throughput limits it; operands stay in registers, so memory does not. The widest vector
/// path the CPU accelerates is used: fp32 FMA on Vector512 (AVX-512F), Vector256 (FMA3) or Vector128 (NEON), else scalar
/// fused multiply-add; int8 on AVX-VNNI (VPDPBUSD, 4 u8 x s8 products per int32 lane), else the exact AVX2 path (VPMADDWD
/// on int8 already widened to int16, plus VPADDD), on ARM SDOT when present, else SMLAL on widened int16, else scalar.
/// <see cref="PeakMeasurement.Method"/> says which one ran. Runs on the calling thread; allocation-free after the first
/// call. The result is a rate for this machine now (clock, load from other processes): it is the best of many short windows.
/// </summary>
public static partial class PeakProbe
{
    /// <summary>
    /// Default time per repeat. Short windows, many of them, best kept: on a loaded machine (the build host runs ~20
    /// runnable threads on 2 cores) a 2 ms window often runs undisturbed while 10 ms windows almost never do; measured
    /// there, 25 x 2 ms gave 51.8 GMAC/s fp32 every time where 5 x 10 ms gave anything from 23.5 to 51.8.
    /// </summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMilliseconds(2);

    /// <summary>Default number of timed windows.</summary>
    public const int DefaultRepeats = 25;

    /// <summary>The fp32 path <see cref="Fp32"/> runs on this CPU.</summary>
    public static string Fp32Method => Paths(PeakKind.Fp32Fma)[0].Method;

    /// <summary>The int8 path <see cref="Int8"/> runs on this CPU.</summary>
    public static string Int8Method => Paths(PeakKind.Int8Mac)[0].Method;

    /// <summary>The best fp32 FMA rate over <paramref name="repeats"/> timed runs of about <paramref name="duration"/> each.</summary>
    public static PeakMeasurement Fp32(TimeSpan? duration = null, int repeats = DefaultRepeats) =>
        Measure(PeakKind.Fp32Fma, Paths(PeakKind.Fp32Fma)[0], duration ?? DefaultDuration, repeats);

    /// <summary>The best int8 multiply-accumulate rate over <paramref name="repeats"/> timed runs of about <paramref name="duration"/> each.</summary>
    public static PeakMeasurement Int8(TimeSpan? duration = null, int repeats = DefaultRepeats) =>
        Measure(PeakKind.Int8Mac, Paths(PeakKind.Int8Mac)[0], duration ?? DefaultDuration, repeats);

    /// <summary>Every probe loop this CPU can run for <paramref name="kind"/>, best first; the last is the scalar one.</summary>
    internal static ProbePath[] Paths(PeakKind kind)
    {
        var paths = new List<ProbePath>(3);
        if (kind == PeakKind.Fp32Fma)
        {
            AddX86Fp32(paths);
            AddArmFp32(paths);
            paths.Add(new ProbePath(ScalarFp32, "scalar MathF.FusedMultiplyAdd, 8 independent accumulators"));
        }
        else
        {
            AddX86Int8(paths);
            AddArmInt8(paths);
            paths.Add(new ProbePath(ScalarInt8, "scalar int32 multiply-add on int8-range values, 8 independent accumulators"));
        }

        return paths.ToArray();
    }

    internal static PeakMeasurement Measure(PeakKind kind, ProbePath path, TimeSpan duration, int repeats)
    {
        Func<long, long> loop = path.Loop;
        string method = path.Method;
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);

        loop(16); // compile (and fault in) the loop before anything is timed

        // Calibrate: grow the iteration count until one run takes a tenth of the target, then scale to the target.
        long iterations = 1024;
        double seconds;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            loop(iterations);
            seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (seconds >= duration.TotalSeconds / 10 || iterations >= (1L << 40))
            {
                break;
            }

            iterations *= 4;
        }

        iterations = Math.Max(1024, (long)(iterations * (duration.TotalSeconds / Math.Max(seconds, 1e-9))));
        double best = 0;
        long bestMacs = 0;
        double bestSeconds = 0;
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            long macs = loop(iterations);
            double s = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double rate = macs / Math.Max(s, 1e-9);
            if (rate > best)
            {
                (best, bestMacs, bestSeconds) = (rate, macs, s);
            }
        }

        return new PeakMeasurement(kind, method, best, bestMacs, bestSeconds);
    }

    /// <summary>Keeps a loop's result observable so the JIT cannot drop the loop.</summary>
    private static volatile int s_sink;

    private static void Sink(int value) => s_sink = value;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimized from the first call: no tier-0 loop is timed
    private static long ScalarFp32(long iterations)
    {
        float a0 = 0, a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6, a7 = 7;
        const float m = 0.999999f, c = 1e-6f;
        for (long i = 0; i < iterations; i++)
        {
            a0 = MathF.FusedMultiplyAdd(a0, m, c);
            a1 = MathF.FusedMultiplyAdd(a1, m, c);
            a2 = MathF.FusedMultiplyAdd(a2, m, c);
            a3 = MathF.FusedMultiplyAdd(a3, m, c);
            a4 = MathF.FusedMultiplyAdd(a4, m, c);
            a5 = MathF.FusedMultiplyAdd(a5, m, c);
            a6 = MathF.FusedMultiplyAdd(a6, m, c);
            a7 = MathF.FusedMultiplyAdd(a7, m, c);
        }

        Sink((int)(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7));
        return iterations * 8;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimized from the first call: no tier-0 loop is timed
    private static long ScalarInt8(long iterations)
    {
        // a = a * w + x on int8-range operands: each chain depends on itself, so nothing can be hoisted or shared.
        int a0 = 0, a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6, a7 = 7;
        const int w = -3, x = 5;
        for (long i = 0; i < iterations; i++)
        {
            a0 = unchecked((a0 * w) + x);
            a1 = unchecked((a1 * w) + x);
            a2 = unchecked((a2 * w) + x);
            a3 = unchecked((a3 * w) + x);
            a4 = unchecked((a4 * w) + x);
            a5 = unchecked((a5 * w) + x);
            a6 = unchecked((a6 * w) + x);
            a7 = unchecked((a7 * w) + x);
        }

        Sink(a0 ^ a1 ^ a2 ^ a3 ^ a4 ^ a5 ^ a6 ^ a7);
        return iterations * 8;
    }
}
