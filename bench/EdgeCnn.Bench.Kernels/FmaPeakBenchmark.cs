using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace EdgeCnn.Bench.Kernels;

/// <summary>
/// The reachable fp32 FMA rate of one core: 12 independent accumulator chains (enough to cover FMA latency x throughput on
/// every x86 core of the last decade) on the widest accelerated vector, no memory traffic. The kernels' GFLOP/s are read
/// against this (GflopsColumn: FmaPerRun * 2 * lanes FLOPs per run).
/// </summary>
public class FmaPeakBenchmark
{
    /// <summary>FMA instructions per run: 12 chains x 100,000 steps.</summary>
    public const long FmaPerRun = 12L * Steps;

    public const int Steps = 100_000;

    /// <summary>Floats per FMA on the widest accelerated width (what Peak uses).</summary>
    public static int Lanes => Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;

    [Benchmark]
    public float Peak() => Vector512.IsHardwareAccelerated ? Peak512() : Vector256.IsHardwareAccelerated ? Peak256() : Peak128();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Peak256()
    {
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        Vector256<float> m = Vector256.Create(0.999999f), c = Vector256.Create(1e-7f);
        for (int i = 0; i < Steps; i++)
        {
            a0 = Vector256.MultiplyAddEstimate(a0, m, c);
            a1 = Vector256.MultiplyAddEstimate(a1, m, c);
            a2 = Vector256.MultiplyAddEstimate(a2, m, c);
            a3 = Vector256.MultiplyAddEstimate(a3, m, c);
            a4 = Vector256.MultiplyAddEstimate(a4, m, c);
            a5 = Vector256.MultiplyAddEstimate(a5, m, c);
            a6 = Vector256.MultiplyAddEstimate(a6, m, c);
            a7 = Vector256.MultiplyAddEstimate(a7, m, c);
            a8 = Vector256.MultiplyAddEstimate(a8, m, c);
            a9 = Vector256.MultiplyAddEstimate(a9, m, c);
            a10 = Vector256.MultiplyAddEstimate(a10, m, c);
            a11 = Vector256.MultiplyAddEstimate(a11, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Peak512()
    {
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        Vector512<float> m = Vector512.Create(0.999999f), c = Vector512.Create(1e-7f);
        for (int i = 0; i < Steps; i++)
        {
            a0 = Vector512.MultiplyAddEstimate(a0, m, c);
            a1 = Vector512.MultiplyAddEstimate(a1, m, c);
            a2 = Vector512.MultiplyAddEstimate(a2, m, c);
            a3 = Vector512.MultiplyAddEstimate(a3, m, c);
            a4 = Vector512.MultiplyAddEstimate(a4, m, c);
            a5 = Vector512.MultiplyAddEstimate(a5, m, c);
            a6 = Vector512.MultiplyAddEstimate(a6, m, c);
            a7 = Vector512.MultiplyAddEstimate(a7, m, c);
            a8 = Vector512.MultiplyAddEstimate(a8, m, c);
            a9 = Vector512.MultiplyAddEstimate(a9, m, c);
            a10 = Vector512.MultiplyAddEstimate(a10, m, c);
            a11 = Vector512.MultiplyAddEstimate(a11, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Peak128()
    {
        Vector128<float> a0 = Vector128.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        Vector128<float> m = Vector128.Create(0.999999f), c = Vector128.Create(1e-7f);
        for (int i = 0; i < Steps; i++)
        {
            a0 = Vector128.MultiplyAddEstimate(a0, m, c);
            a1 = Vector128.MultiplyAddEstimate(a1, m, c);
            a2 = Vector128.MultiplyAddEstimate(a2, m, c);
            a3 = Vector128.MultiplyAddEstimate(a3, m, c);
            a4 = Vector128.MultiplyAddEstimate(a4, m, c);
            a5 = Vector128.MultiplyAddEstimate(a5, m, c);
            a6 = Vector128.MultiplyAddEstimate(a6, m, c);
            a7 = Vector128.MultiplyAddEstimate(a7, m, c);
            a8 = Vector128.MultiplyAddEstimate(a8, m, c);
            a9 = Vector128.MultiplyAddEstimate(a9, m, c);
            a10 = Vector128.MultiplyAddEstimate(a10, m, c);
            a11 = Vector128.MultiplyAddEstimate(a11, m, c);
        }

        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
