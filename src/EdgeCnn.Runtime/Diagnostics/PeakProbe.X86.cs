using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Diagnostics;

/// <summary>x86 probes: 12 independent accumulator chains per loop, which covers FMA/VPDPBUSD latency (4 to 5 cycles) times
/// two vector pipes with room to spare, and leaves registers for the operands (16 ymm on AVX2).</summary>
public static partial class PeakProbe
{
    private static void AddX86Fp32(List<ProbePath> paths)
    {
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            paths.Add(new ProbePath(Fp32Avx512, "avx512f vfmadd zmm (Vector512, 16 fp32 lanes), 12 independent accumulators"));
        }

        if (Fma.IsSupported)
        {
            paths.Add(new ProbePath(Fp32Fma256, "avx2-fma vfmadd ymm (Vector256, 8 fp32 lanes), 12 independent accumulators"));
        }
    }

    private static void AddX86Int8(List<ProbePath> paths)
    {
        if (AvxVnni.IsSupported)
        {
            paths.Add(new ProbePath(Int8AvxVnni, "avxvnni vpdpbusd ymm (u8 x s8, 32 MACs per instruction), 12 independent accumulators"));
        }

        if (Avx2.IsSupported)
        {
            paths.Add(new ProbePath(Int8Avx2, "avx2 vpmaddwd+vpaddd ymm on int8 widened to int16 (16 MACs per pair; the exact path "
                + "for CPUs without VNNI), 12 independent accumulators"));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Fp32Avx512(long iterations)
    {
        Vector512<float> m = Vector512.Create(0.999999f), c = Vector512.Create(1e-6f);
        Vector512<float> a0 = Vector512.Create(0f), a1 = Vector512.Create(1f), a2 = Vector512.Create(2f), a3 = Vector512.Create(3f);
        Vector512<float> a4 = Vector512.Create(4f), a5 = Vector512.Create(5f), a6 = Vector512.Create(6f), a7 = Vector512.Create(7f);
        Vector512<float> a8 = Vector512.Create(8f), a9 = Vector512.Create(9f), a10 = Vector512.Create(10f), a11 = Vector512.Create(11f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c);
            a1 = Avx512F.FusedMultiplyAdd(a1, m, c);
            a2 = Avx512F.FusedMultiplyAdd(a2, m, c);
            a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, c);
            a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c);
            a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, c);
            a9 = Avx512F.FusedMultiplyAdd(a9, m, c);
            a10 = Avx512F.FusedMultiplyAdd(a10, m, c);
            a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
        }

        Vector512<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        Sink((int)Vector512.Sum(sum));
        return iterations * 12 * Vector512<float>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Fp32Fma256(long iterations)
    {
        Vector256<float> m = Vector256.Create(0.999999f), c = Vector256.Create(1e-6f);
        Vector256<float> a0 = Vector256.Create(0f), a1 = Vector256.Create(1f), a2 = Vector256.Create(2f), a3 = Vector256.Create(3f);
        Vector256<float> a4 = Vector256.Create(4f), a5 = Vector256.Create(5f), a6 = Vector256.Create(6f), a7 = Vector256.Create(7f);
        Vector256<float> a8 = Vector256.Create(8f), a9 = Vector256.Create(9f), a10 = Vector256.Create(10f), a11 = Vector256.Create(11f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c);
            a1 = Fma.MultiplyAdd(a1, m, c);
            a2 = Fma.MultiplyAdd(a2, m, c);
            a3 = Fma.MultiplyAdd(a3, m, c);
            a4 = Fma.MultiplyAdd(a4, m, c);
            a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c);
            a7 = Fma.MultiplyAdd(a7, m, c);
            a8 = Fma.MultiplyAdd(a8, m, c);
            a9 = Fma.MultiplyAdd(a9, m, c);
            a10 = Fma.MultiplyAdd(a10, m, c);
            a11 = Fma.MultiplyAdd(a11, m, c);
        }

        Vector256<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        Sink((int)Vector256.Sum(sum));
        return iterations * 12 * Vector256<float>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Int8AvxVnni(long iterations)
    {
        // VPDPBUSD: each int32 lane += four u8 x s8 products. The accumulator is an operand, so every chain depends on itself.
        Vector256<byte> x = Vector256.Create((byte)131);
        Vector256<sbyte> w = Vector256.Create((sbyte)-7);
        Vector256<int> a0 = Vector256.Create(0), a1 = Vector256.Create(1), a2 = Vector256.Create(2), a3 = Vector256.Create(3);
        Vector256<int> a4 = Vector256.Create(4), a5 = Vector256.Create(5), a6 = Vector256.Create(6), a7 = Vector256.Create(7);
        Vector256<int> a8 = Vector256.Create(8), a9 = Vector256.Create(9), a10 = Vector256.Create(10), a11 = Vector256.Create(11);
        for (long i = 0; i < iterations; i++)
        {
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, x, w);
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, x, w);
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, x, w);
            a3 = AvxVnni.MultiplyWideningAndAdd(a3, x, w);
            a4 = AvxVnni.MultiplyWideningAndAdd(a4, x, w);
            a5 = AvxVnni.MultiplyWideningAndAdd(a5, x, w);
            a6 = AvxVnni.MultiplyWideningAndAdd(a6, x, w);
            a7 = AvxVnni.MultiplyWideningAndAdd(a7, x, w);
            a8 = AvxVnni.MultiplyWideningAndAdd(a8, x, w);
            a9 = AvxVnni.MultiplyWideningAndAdd(a9, x, w);
            a10 = AvxVnni.MultiplyWideningAndAdd(a10, x, w);
            a11 = AvxVnni.MultiplyWideningAndAdd(a11, x, w);
        }

        Sink(Vector256.Sum(((a0 ^ a1) ^ (a2 ^ a3)) ^ ((a4 ^ a5) ^ (a6 ^ a7)) ^ ((a8 ^ a9) ^ (a10 ^ a11))));
        return iterations * 12 * Vector256<int>.Count * 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Int8Avx2(long iterations)
    {
        // VPMADDWD multiplies 16 int16 pairs and adds adjacent products into 8 int32 lanes; VPADDD accumulates. With int8
        // values widened to int16 the products are exact (no int16 saturation, unlike VPMADDUBSW). Each chain feeds its
        // own accumulator back in as the int16 operand, so neither instruction can be hoisted out of the loop.
        Vector256<short> w = Vector256.Create((short)-7);
        Vector256<int> a0 = Vector256.Create(0), a1 = Vector256.Create(1), a2 = Vector256.Create(2), a3 = Vector256.Create(3);
        Vector256<int> a4 = Vector256.Create(4), a5 = Vector256.Create(5), a6 = Vector256.Create(6), a7 = Vector256.Create(7);
        Vector256<int> a8 = Vector256.Create(8), a9 = Vector256.Create(9), a10 = Vector256.Create(10), a11 = Vector256.Create(11);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(a0.AsInt16(), w));
            a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(a1.AsInt16(), w));
            a2 = Avx2.Add(a2, Avx2.MultiplyAddAdjacent(a2.AsInt16(), w));
            a3 = Avx2.Add(a3, Avx2.MultiplyAddAdjacent(a3.AsInt16(), w));
            a4 = Avx2.Add(a4, Avx2.MultiplyAddAdjacent(a4.AsInt16(), w));
            a5 = Avx2.Add(a5, Avx2.MultiplyAddAdjacent(a5.AsInt16(), w));
            a6 = Avx2.Add(a6, Avx2.MultiplyAddAdjacent(a6.AsInt16(), w));
            a7 = Avx2.Add(a7, Avx2.MultiplyAddAdjacent(a7.AsInt16(), w));
            a8 = Avx2.Add(a8, Avx2.MultiplyAddAdjacent(a8.AsInt16(), w));
            a9 = Avx2.Add(a9, Avx2.MultiplyAddAdjacent(a9.AsInt16(), w));
            a10 = Avx2.Add(a10, Avx2.MultiplyAddAdjacent(a10.AsInt16(), w));
            a11 = Avx2.Add(a11, Avx2.MultiplyAddAdjacent(a11.AsInt16(), w));
        }

        Sink(Vector256.Sum(((a0 ^ a1) ^ (a2 ^ a3)) ^ ((a4 ^ a5) ^ (a6 ^ a7)) ^ ((a8 ^ a9) ^ (a10 ^ a11))));
        return iterations * 12 * Vector256<short>.Count;
    }
}
