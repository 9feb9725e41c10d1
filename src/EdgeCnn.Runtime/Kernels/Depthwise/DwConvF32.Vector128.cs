using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>f32-conv-dw-v128: any window, 4 channels per step (NEON / SSE).</summary>
internal readonly unsafe struct DwVector128 : IDwMicrokernelF32
{
    public static int ChannelTile => 4;

    public static int FixedTaps => 0;

    [SkipLocalsInit]
    public static void Run(nint channels, nint ks, float** input, float* w, float* y, float min, float max)
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

            Vector128.Min(Vector128.Max(acc, vmin), vmax).Store(y + c);
        }

        DwScalarTail.Run(c, channels, ks, input, w, 4, y, min, max);
    }
}

/// <summary>f32-conv-dw-3x3-v128: the 9 taps unrolled in two chains, 4 channels per step.</summary>
internal readonly unsafe struct Dw3x3Vector128 : IDwMicrokernelF32
{
    public static int ChannelTile => 4;

    public static int FixedTaps => 9;

    [SkipLocalsInit]
    public static void Run(nint channels, nint ks, float** input, float* w, float* y, float min, float max)
    {
        float* i0 = input[0], i1 = input[1], i2 = input[2], i3 = input[3], i4 = input[4];
        float* i5 = input[5], i6 = input[6], i7 = input[7], i8 = input[8];
        Vector128<float> vmin = Vector128.Create(min), vmax = Vector128.Create(max);
        nint c = 0;
        for (; c <= channels - 4; c += 4, w += 40)
        {
            Vector128<float> acc0 = Vector128.Load(w);
            Vector128<float> acc1 = Vector128.Load(i0 + c) * Vector128.Load(w + 4);
            acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(i1 + c), Vector128.Load(w + 8), acc0);
            acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(i2 + c), Vector128.Load(w + 12), acc1);
            acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(i3 + c), Vector128.Load(w + 16), acc0);
            acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(i4 + c), Vector128.Load(w + 20), acc1);
            acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(i5 + c), Vector128.Load(w + 24), acc0);
            acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(i6 + c), Vector128.Load(w + 28), acc1);
            acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(i7 + c), Vector128.Load(w + 32), acc0);
            acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(i8 + c), Vector128.Load(w + 36), acc1);
            Vector128.Min(Vector128.Max(acc0 + acc1, vmin), vmax).Store(y + c);
        }

        DwScalarTail.Run(c, channels, 9, input, w, 4, y, min, max);
    }
}
