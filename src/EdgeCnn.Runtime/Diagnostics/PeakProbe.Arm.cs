using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeCnn.Runtime.Diagnostics;

/// <summary>ARM64 probes (NEON has 32 128-bit registers): 12 independent accumulator chains, as on x86.</summary>
public static partial class PeakProbe
{
    private static void AddArmFp32(List<ProbePath> paths)
    {
        if (AdvSimd.IsSupported)
        {
            paths.Add(new ProbePath(Fp32Neon, "neon fmla v.4s (Vector128, 4 fp32 lanes), 12 independent accumulators"));
        }
    }

    private static void AddArmInt8(List<ProbePath> paths)
    {
        if (Dp.IsSupported)
        {
            paths.Add(new ProbePath(Int8NeonDot, "neondot sdot v.4s (s8 x s8, 16 MACs per instruction), 12 independent accumulators"));
        }

        if (AdvSimd.IsSupported)
        {
            paths.Add(new ProbePath(Int8NeonSmlal, "neon smlal v.4s on int8 widened to int16 (4 MACs per instruction; the path for "
                + "CPUs without dot product), 12 independent accumulators"));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Fp32Neon(long iterations)
    {
        Vector128<float> m = Vector128.Create(0.999999f), c = Vector128.Create(1e-6f);
        Vector128<float> a0 = Vector128.Create(0f), a1 = Vector128.Create(1f), a2 = Vector128.Create(2f), a3 = Vector128.Create(3f);
        Vector128<float> a4 = Vector128.Create(4f), a5 = Vector128.Create(5f), a6 = Vector128.Create(6f), a7 = Vector128.Create(7f);
        Vector128<float> a8 = Vector128.Create(8f), a9 = Vector128.Create(9f), a10 = Vector128.Create(10f), a11 = Vector128.Create(11f);
        for (long i = 0; i < iterations; i++)
        {
            // FusedMultiplyAdd(addend, left, right) = addend + left * right: here c + a * m.
            a0 = AdvSimd.FusedMultiplyAdd(c, a0, m);
            a1 = AdvSimd.FusedMultiplyAdd(c, a1, m);
            a2 = AdvSimd.FusedMultiplyAdd(c, a2, m);
            a3 = AdvSimd.FusedMultiplyAdd(c, a3, m);
            a4 = AdvSimd.FusedMultiplyAdd(c, a4, m);
            a5 = AdvSimd.FusedMultiplyAdd(c, a5, m);
            a6 = AdvSimd.FusedMultiplyAdd(c, a6, m);
            a7 = AdvSimd.FusedMultiplyAdd(c, a7, m);
            a8 = AdvSimd.FusedMultiplyAdd(c, a8, m);
            a9 = AdvSimd.FusedMultiplyAdd(c, a9, m);
            a10 = AdvSimd.FusedMultiplyAdd(c, a10, m);
            a11 = AdvSimd.FusedMultiplyAdd(c, a11, m);
        }

        Vector128<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        Sink((int)Vector128.Sum(sum));
        return iterations * 12 * Vector128<float>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Int8NeonDot(long iterations)
    {
        Vector128<sbyte> x = Vector128.Create((sbyte)3), w = Vector128.Create((sbyte)-7);
        Vector128<int> a0 = Vector128.Create(0), a1 = Vector128.Create(1), a2 = Vector128.Create(2), a3 = Vector128.Create(3);
        Vector128<int> a4 = Vector128.Create(4), a5 = Vector128.Create(5), a6 = Vector128.Create(6), a7 = Vector128.Create(7);
        Vector128<int> a8 = Vector128.Create(8), a9 = Vector128.Create(9), a10 = Vector128.Create(10), a11 = Vector128.Create(11);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Dp.DotProduct(a0, x, w);
            a1 = Dp.DotProduct(a1, x, w);
            a2 = Dp.DotProduct(a2, x, w);
            a3 = Dp.DotProduct(a3, x, w);
            a4 = Dp.DotProduct(a4, x, w);
            a5 = Dp.DotProduct(a5, x, w);
            a6 = Dp.DotProduct(a6, x, w);
            a7 = Dp.DotProduct(a7, x, w);
            a8 = Dp.DotProduct(a8, x, w);
            a9 = Dp.DotProduct(a9, x, w);
            a10 = Dp.DotProduct(a10, x, w);
            a11 = Dp.DotProduct(a11, x, w);
        }

        Sink(Vector128.Sum(((a0 ^ a1) ^ (a2 ^ a3)) ^ ((a4 ^ a5) ^ (a6 ^ a7)) ^ ((a8 ^ a9) ^ (a10 ^ a11))));
        return iterations * 12 * Vector128<int>.Count * 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Int8NeonSmlal(long iterations)
    {
        Vector64<short> x = Vector64.Create((short)3), w = Vector64.Create((short)-7);
        Vector128<int> a0 = Vector128.Create(0), a1 = Vector128.Create(1), a2 = Vector128.Create(2), a3 = Vector128.Create(3);
        Vector128<int> a4 = Vector128.Create(4), a5 = Vector128.Create(5), a6 = Vector128.Create(6), a7 = Vector128.Create(7);
        Vector128<int> a8 = Vector128.Create(8), a9 = Vector128.Create(9), a10 = Vector128.Create(10), a11 = Vector128.Create(11);
        for (long i = 0; i < iterations; i++)
        {
            a0 = AdvSimd.MultiplyWideningLowerAndAdd(a0, x, w);
            a1 = AdvSimd.MultiplyWideningLowerAndAdd(a1, x, w);
            a2 = AdvSimd.MultiplyWideningLowerAndAdd(a2, x, w);
            a3 = AdvSimd.MultiplyWideningLowerAndAdd(a3, x, w);
            a4 = AdvSimd.MultiplyWideningLowerAndAdd(a4, x, w);
            a5 = AdvSimd.MultiplyWideningLowerAndAdd(a5, x, w);
            a6 = AdvSimd.MultiplyWideningLowerAndAdd(a6, x, w);
            a7 = AdvSimd.MultiplyWideningLowerAndAdd(a7, x, w);
            a8 = AdvSimd.MultiplyWideningLowerAndAdd(a8, x, w);
            a9 = AdvSimd.MultiplyWideningLowerAndAdd(a9, x, w);
            a10 = AdvSimd.MultiplyWideningLowerAndAdd(a10, x, w);
            a11 = AdvSimd.MultiplyWideningLowerAndAdd(a11, x, w);
        }

        Sink(Vector128.Sum(((a0 ^ a1) ^ (a2 ^ a3)) ^ ((a4 ^ a5) ^ (a6 ^ a7)) ^ ((a8 ^ a9) ^ (a10 ^ a11))));
        return iterations * 12 * Vector128<int>.Count;
    }
}
