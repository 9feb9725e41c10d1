using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>f32-conv-dw-v128: any window, 4 channels per step (NEON / SSE).</summary>
internal readonly unsafe struct DwVector128 : IDwMicrokernelF32
{
    public static int ChannelTile => 4;

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
        Vector128<float> vmin = Vector128.Create(min), vmax = Vector128.Create(max);
        nint c = 0;
        for (; c <= channels - 4; c += 4, w += 4 + (ks * 4))
        {
            Vector128<float> acc = Vector128.Load(w);
            float* wt = w + 4;
            for (nint t = 0; t < ks; t++, wt += 4)
            {
                acc = Vector128.MultiplyAddEstimate(Vector128.Load(input[t] + c), Vector128.Load(wt), acc);
            }

            Vector128.MinNative(vmax, Vector128.MaxNative(vmin, acc)).Store(y + c);
        }

        DwScalarTail.Run(c, channels, ks, input, w, 4, y, min, max);
    }
}

/// <summary>f32-conv-dw-3x3-v128: the 9 taps unrolled in two chains, weights held in registers along an output row.</summary>
internal readonly unsafe struct Dw3x3Vector128 : IDwMicrokernelF32
{
    public static int ChannelTile => 4;

    public static int FixedTaps => 9;

    [SkipLocalsInit]
    public static void Run(nint pixels, nint channels, nint ks, float** input, float* w, float* y, float min, float max)
    {
        // Channel tile outer, pixels inner: the tile's bias and 9 weight vectors stay in registers along the whole row
        // (15 of 16 ymm / 32 NEON registers with the two accumulators, the input and the clamp bounds).
        Vector128<float> vmin = Vector128.Create(min), vmax = Vector128.Create(max);
        nint c = 0;
        for (; c <= channels - 4; c += 4, w += 40)
        {
            Vector128<float> bias = Vector128.Load(w);
            Vector128<float> k0 = Vector128.Load(w + 4);
            Vector128<float> k1 = Vector128.Load(w + 8);
            Vector128<float> k2 = Vector128.Load(w + 12);
            Vector128<float> k3 = Vector128.Load(w + 16);
            Vector128<float> k4 = Vector128.Load(w + 20);
            Vector128<float> k5 = Vector128.Load(w + 24);
            Vector128<float> k6 = Vector128.Load(w + 28);
            Vector128<float> k7 = Vector128.Load(w + 32);
            Vector128<float> k8 = Vector128.Load(w + 36);
            float** ip = input;
            float* yp = y + c;
            for (nint p = 0; p < pixels; p++, ip += 9, yp += channels)
            {
                Vector128<float> acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(ip[0] + c), k0, bias);
                Vector128<float> acc1 = Vector128.Load(ip[1] + c) * k1;
                acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(ip[2] + c), k2, acc0);
                acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(ip[3] + c), k3, acc1);
                acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(ip[4] + c), k4, acc0);
                acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(ip[5] + c), k5, acc1);
                acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(ip[6] + c), k6, acc0);
                acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(ip[7] + c), k7, acc1);
                acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(ip[8] + c), k8, acc0);
                Vector128.MinNative(vmax, Vector128.MaxNative(vmin, acc0 + acc1)).Store(yp);
            }
        }

        if (c < channels)
        {
            for (nint p = 0; p < pixels; p++)
            {
                DwScalarTail.Run(c, channels, 9, input + (p * 9), w, 4, y + (p * channels), min, max);
            }
        }
    }
}
