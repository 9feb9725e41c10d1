using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Diagnostics;

namespace EdgeCnn.Runtime.Tests.Diagnostics;

/// <summary>
/// The peak probe is a measurement, so its tests check sanity, not speed: every loop this CPU can run does the work it
/// claims, rates are positive and finite, the chosen path is the widest this CPU accelerates, and two runs agree within a
/// generous factor (the build machine is shared).
/// </summary>
public class PeakProbeTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(10);

    [Theory]
    [InlineData(PeakKind.Fp32Fma)]
    [InlineData(PeakKind.Int8Mac)]
    public void Every_path_this_cpu_runs_reports_its_work_and_a_sane_rate(PeakKind kind)
    {
        ProbePath[] paths = PeakProbe.Paths(kind);
        Assert.StartsWith("scalar", paths[^1].Method, StringComparison.Ordinal);
        foreach (ProbePath path in paths)
        {
            long macs = path.Loop(1000);
            Assert.True(macs >= 8000 && macs % 1000 == 0, $"{path.Method}: {macs} MACs for 1000 iterations");
            PeakMeasurement m = PeakProbe.Measure(kind, path, Short, repeats: 2);
            Assert.True(double.IsFinite(m.MacsPerSecond) && m.MacsPerSecond > 1e6, $"{m}");
            Assert.True(m.Macs > 0 && m.Seconds > 0, $"{m}: {m.Macs} MACs in {m.Seconds} s");
            Assert.Equal(path.Method, m.Method);
        }
    }

    [Fact]
    public void The_widest_accelerated_path_is_chosen()
    {
        string fp32 = PeakProbe.Fp32Method, int8 = PeakProbe.Int8Method;
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            Assert.Contains("avx512f", fp32, StringComparison.Ordinal);
        }
        else if (Fma.IsSupported)
        {
            Assert.Contains("avx2-fma", fp32, StringComparison.Ordinal);
        }

        if (AvxVnni.IsSupported)
        {
            Assert.Contains("vpdpbusd", int8, StringComparison.Ordinal);
        }
        else if (Avx2.IsSupported)
        {
            Assert.Contains("vpmaddwd", int8, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(PeakKind.Fp32Fma)]
    [InlineData(PeakKind.Int8Mac)]
    public void Two_runs_agree_within_a_factor_of_two_and_vector_paths_beat_scalar(PeakKind kind)
    {
        // The best of many 1 ms windows is stable even on a loaded machine; a few attempts absorb a burst of load.
        ProbePath[] paths = PeakProbe.Paths(kind);
        string last = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            PeakMeasurement first = Probe(kind), second = Probe(kind);
            double ratio = first.MacsPerSecond / second.MacsPerSecond;
            // A vector path does 4 to 32 MACs per instruction against the scalar loop's one: it must measure faster.
            PeakMeasurement scalar = PeakProbe.Measure(kind, paths[^1], TimeSpan.FromMilliseconds(1), 20);
            bool beatsScalar = paths.Length == 1 || Math.Max(first.MacsPerSecond, second.MacsPerSecond) > 1.5 * scalar.MacsPerSecond;
            if (ratio is > 0.5 and < 2 && beatsScalar)
            {
                return;
            }

            last = $"{first} then {second}; scalar {scalar}";
        }

        Assert.Fail($"five attempts disagreed; the last: {last}");
    }

    private static PeakMeasurement Probe(PeakKind kind) =>
        kind == PeakKind.Fp32Fma ? PeakProbe.Fp32(TimeSpan.FromMilliseconds(1), 20) : PeakProbe.Int8(TimeSpan.FromMilliseconds(1), 20);

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PeakProbe.Fp32(Short, repeats: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PeakProbe.Int8(TimeSpan.Zero));
    }
}
