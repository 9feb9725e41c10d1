using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace EdgeCnn.Bench.Kernels;

/// <summary>
/// The reachable int8 multiply-accumulate rate of one core through the instruction the int8 GEMM uses here: VPDPBUSD
/// (AVX-VNNI, 32 MACs per 256-bit instruction) where present, else VPMADDWD + VPADDD (AVX2, 16 MACs per pair, the exact
/// path). 8 independent accumulator chains, no memory traffic. ConvS8Benchmarks' int8 GMAC/s read against this
/// (S8GmacsColumn: MacsPerRun per run).
/// </summary>
public class S8PeakBenchmark
{
    private const int Steps = 100_000;

    /// <summary>MACs per run: 8 chains x Steps x (32 with VNNI, 16 with vpmaddwd); 0 without AVX2 (not measured).</summary>
    public static long MacsPerRun => 8L * Steps * (AvxVnni.IsSupported ? 32 : Avx2.IsSupported ? 16 : 0);

    [Benchmark]
    public int Peak() => AvxVnni.IsSupported ? PeakVnni() : Avx2.IsSupported ? PeakMadd() : 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int PeakMadd()
    {
        Vector256<int> a0 = Vector256<int>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        // Eight distinct (x, w) pairs, so that no two products are the same expression for the JIT to compute once.
        Vector256<short> x = Vector256.Create((short)3), y = Vector256.Create((short)7), one = Vector256<short>.One;
        Vector256<short> w0 = Vector256.Create((short)-5), w1 = Vector256.Create((short)9), w2 = Vector256.Create((short)-2), w3 = Vector256.Create((short)4);
        for (int i = 0; i < Steps; i++)
        {
            a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(x, w0));
            a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(x, w1));
            a2 = Avx2.Add(a2, Avx2.MultiplyAddAdjacent(x, w2));
            a3 = Avx2.Add(a3, Avx2.MultiplyAddAdjacent(x, w3));
            a4 = Avx2.Add(a4, Avx2.MultiplyAddAdjacent(y, w0));
            a5 = Avx2.Add(a5, Avx2.MultiplyAddAdjacent(y, w1));
            a6 = Avx2.Add(a6, Avx2.MultiplyAddAdjacent(y, w2));
            a7 = Avx2.Add(a7, Avx2.MultiplyAddAdjacent(y, w3));
            x = Avx2.Add(x, one); // loop-carried: the products cannot be hoisted out of the loop
            y = Avx2.Add(y, one);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int PeakVnni()
    {
        Vector256<int> a0 = Vector256<int>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        Vector256<byte> x = Vector256.Create((byte)3);
        Vector256<sbyte> w = Vector256.Create((sbyte)-5);
        for (int i = 0; i < Steps; i++)
        {
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, x, w);
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, x, w);
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, x, w);
            a3 = AvxVnni.MultiplyWideningAndAdd(a3, x, w);
            a4 = AvxVnni.MultiplyWideningAndAdd(a4, x, w);
            a5 = AvxVnni.MultiplyWideningAndAdd(a5, x, w);
            a6 = AvxVnni.MultiplyWideningAndAdd(a6, x, w);
            a7 = AvxVnni.MultiplyWideningAndAdd(a7, x, w);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }
}
