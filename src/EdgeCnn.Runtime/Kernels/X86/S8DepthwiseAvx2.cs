using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// The depthwise channel loop on AVX2: 16 channels per step in two accumulators, each tap one vpmovsxbd load of 8 input
/// channels and one exact vpmulld by the int32 weights (|x * w| &lt;= 2^14). The last 1..15 channels go through the same
/// arithmetic on a copy of the remaining input bytes, so nothing past a row is read.
/// </summary>
public readonly unsafe struct S8DepthwiseAvx2 : IS8DepthwisePixel
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>One pixel at a time (<see cref="S8DepthwiseRows.PerPixel"/>).</summary>
    public static void RunRow(sbyte** x, int taps, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q) =>
        S8DepthwiseRows.PerPixel<S8DepthwiseAvx2>(x, taps, step, pixels, w, wStride, bias, y, channels, channels, q);

    public static void Run(sbyte** x, int taps, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        int c = 0;
        for (; c + 16 <= channels; c += 16)
        {
            Vector256<int> acc0 = Avx.LoadVector256(bias + c), acc1 = Avx.LoadVector256(bias + c + 8);
            int* wt = w + c;
            for (int t = 0; t < taps; t++, wt += wStride)
            {
                sbyte* xt = x[t] + c;
                acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(xt), Avx.LoadVector256(wt)));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(xt + 8), Avx.LoadVector256(wt + 8)));
            }

            S8RequantAvx2.Store(y + c, S8RequantAvx2.Apply(acc0, q.Offset(c)), 8);
            S8RequantAvx2.Store(y + c + 8, S8RequantAvx2.Apply(acc1, q.Offset(c + 8)), 8);
        }

        for (; c < channels; c += 8)
        {
            int n = Math.Min(8, channels - c);
            Vector256<int> acc = Avx.LoadVector256(bias + c);
            int* wt = w + c;
            for (int t = 0; t < taps; t++, wt += wStride)
            {
                acc = Avx2.Add(acc, Avx2.MultiplyLow(Load8(x[t] + c, n), Avx.LoadVector256(wt)));
            }

            S8RequantAvx2.Store(y + c, S8RequantAvx2.Apply(acc, q.Offset(c)), n);
        }
    }

    /// <summary>n (1..8) int8 channels sign-extended to int32 lanes; lanes past n are 0 (their weights are 0 too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load8(sbyte* p, int n)
    {
        if (n == 8)
        {
            return Avx2.ConvertToVector256Int32(p);
        }

        long bits = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            bits = (bits << 8) | (byte)p[i];
        }

        return Avx2.ConvertToVector256Int32(Vector128.CreateScalar(bits).AsSByte());
    }
}
