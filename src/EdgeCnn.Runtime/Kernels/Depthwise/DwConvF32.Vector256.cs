using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>f32-conv-dw-avx2: any window, 8 channels per step; the scalar tail reads only real channels.</summary>
internal readonly unsafe struct DwVector256 : IDwMicrokernelF32
{
    public static int ChannelTile => 8;

    public static int FixedTaps => 0;

    [SkipLocalsInit]
    public static void Run(nint pixels, nint channels, nint ks, float** input, float* w, float* y, float min, float max)
    {
        for (nint p = 0; p < pixels; p++)
        {
            Pixel(channels, ks, input + (p * ks), w, y + (p * channels), min, max);
        }
    }

    private static void Pixel(nint channels, nint ks, float** input, float* w, float* y, float min, float max)
    {
        Vector256<float> vmin = Vector256.Create(min), vmax = Vector256.Create(max);
        nint c = 0;
        for (; c <= channels - 8; c += 8, w += 8 + (ks * 8))
        {
            Vector256<float> acc = Vector256.Load(w);
            float* wt = w + 8;
            for (nint t = 0; t < ks; t++, wt += 8)
            {
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(input[t] + c), Vector256.Load(wt), acc);
            }

            Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc)).Store(y + c);
        }

        DwScalarTail.Run(c, channels, ks, input, w, 8, y, min, max);
    }
}

/// <summary>f32-conv-dw-3x3-avx2: the 9 taps unrolled in two chains, weights held in registers along an output row.</summary>
internal readonly unsafe struct Dw3x3Vector256 : IDwMicrokernelF32
{
    public static int ChannelTile => 8;

    public static int FixedTaps => 9;

    [SkipLocalsInit]
    public static void Run(nint pixels, nint channels, nint ks, float** input, float* w, float* y, float min, float max)
    {
        // Channel tile outer, pixels inner: the tile's bias and 9 weight vectors stay in registers along the whole row
        // (15 of 16 ymm / 32 NEON registers with the two accumulators, the input and the clamp bounds).
        Vector256<float> vmin = Vector256.Create(min), vmax = Vector256.Create(max);
        nint c = 0;
        for (; c <= channels - 8; c += 8, w += 80)
        {
            Vector256<float> bias = Vector256.Load(w);
            Vector256<float> k0 = Vector256.Load(w + 8);
            Vector256<float> k1 = Vector256.Load(w + 16);
            Vector256<float> k2 = Vector256.Load(w + 24);
            Vector256<float> k3 = Vector256.Load(w + 32);
            Vector256<float> k4 = Vector256.Load(w + 40);
            Vector256<float> k5 = Vector256.Load(w + 48);
            Vector256<float> k6 = Vector256.Load(w + 56);
            Vector256<float> k7 = Vector256.Load(w + 64);
            Vector256<float> k8 = Vector256.Load(w + 72);
            float** ip = input;
            float* yp = y + c;
            for (nint p = 0; p < pixels; p++, ip += 9, yp += channels)
            {
                Vector256<float> acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(ip[0] + c), k0, bias);
                Vector256<float> acc1 = Vector256.Load(ip[1] + c) * k1;
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(ip[2] + c), k2, acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(ip[3] + c), k3, acc1);
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(ip[4] + c), k4, acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(ip[5] + c), k5, acc1);
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(ip[6] + c), k6, acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(ip[7] + c), k7, acc1);
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(ip[8] + c), k8, acc0);
                Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc0 + acc1)).Store(yp);
            }
        }

        if (c < channels)
        {
            for (nint p = 0; p < pixels; p++)
            {
                DwScalarTail.Run(c, channels, 9, input + (p * 9), w, 8, y + (p * channels), min, max);
            }
        }
    }
}

/// <summary>The last channels (fewer than a vector) of a pixel, in scalar fp32 from the same packed tile.</summary>
internal static unsafe class DwScalarTail
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run(nint c, nint channels, nint ks, float** input, float* w, nint tile, float* y, float min, float max)
    {
        for (nint j = 0; c + j < channels; j++)
        {
            float acc = w[j];
            for (nint t = 0; t < ks; t++)
            {
                acc = MathF.FusedMultiplyAdd(input[t][c + j], w[tile + (t * tile) + j], acc);
            }

            y[c + j] = MathF.Min(MathF.Max(acc, min), max);
        }
    }
}
