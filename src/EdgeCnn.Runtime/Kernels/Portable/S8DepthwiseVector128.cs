using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// The depthwise channel loop through the portable Vector128 API (SSE4.1 / NEON): 8 channels per step in two
/// accumulators, 4 input channels per load widened int8 -> int16 -> int32, exact int32 multiply-add by the int32 weights.
/// The last 1..7 channels go through the same arithmetic on a copy, so nothing past a row is read.
/// </summary>
public readonly unsafe struct S8DepthwiseVector128 : IS8DepthwisePixel
{
    public static bool IsSupported => true;

    /// <summary>One pixel at a time (<see cref="S8DepthwiseRows.PerPixel"/>).</summary>
    public static void RunRow(sbyte** x, int taps, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q) =>
        S8DepthwiseRows.PerPixel<S8DepthwiseVector128>(x, taps, step, pixels, w, wStride, bias, y, channels, channels, q);

    public static void Run(sbyte** x, int taps, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q)
    {
        int c = 0;
        for (; c + 8 <= channels; c += 8)
        {
            Vector128<int> acc0 = Vector128.Load(bias + c), acc1 = Vector128.Load(bias + c + 4);
            int* wt = w + c;
            for (int t = 0; t < taps; t++, wt += wStride)
            {
                Vector128<short> x8 = Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<long>(x[t] + c)).AsSByte());
                acc0 += Vector128.WidenLower(x8) * Vector128.Load(wt);
                acc1 += Vector128.WidenUpper(x8) * Vector128.Load(wt + 4);
            }

            S8RequantVector128.Store(y + c, S8RequantVector128.Apply(acc0, q.Offset(c)), 4);
            S8RequantVector128.Store(y + c + 4, S8RequantVector128.Apply(acc1, q.Offset(c + 4)), 4);
        }

        for (; c < channels; c += 4)
        {
            int n = Math.Min(4, channels - c);
            Vector128<int> acc = Vector128.Load(bias + c);
            int* wt = w + c;
            for (int t = 0; t < taps; t++, wt += wStride)
            {
                acc += Load4(x[t] + c, n) * Vector128.Load(wt);
            }

            S8RequantVector128.Store(y + c, S8RequantVector128.Apply(acc, q.Offset(c)), n);
        }
    }

    /// <summary>n (1..4) int8 channels widened to int32 lanes; lanes past n are 0 (their weights are 0 too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Load4(sbyte* p, int n)
    {
        int bits = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            bits = (bits << 8) | (byte)p[i];
        }

        return Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalar(bits).AsSByte()));
    }
}
