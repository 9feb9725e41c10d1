using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>f32-conv-dw-avx512: any window, 16 channels per step (emulated where Vector512 is not accelerated).</summary>
internal readonly unsafe struct DwVector512 : IDwMicrokernelF32
{
    public static int ChannelTile => 16;

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
        Vector512<float> vmin = Vector512.Create(min), vmax = Vector512.Create(max);
        nint c = 0;
        for (; c <= channels - 16; c += 16, w += 16 + (ks * 16))
        {
            Vector512<float> acc = Vector512.Load(w);
            float* wt = w + 16;
            for (nint t = 0; t < ks; t++, wt += 16)
            {
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(input[t] + c), Vector512.Load(wt), acc);
            }

            Vector512.MinNative(vmax, Vector512.MaxNative(vmin, acc)).Store(y + c);
        }

        DwScalarTail.Run(c, channels, ks, input, w, 16, y, min, max);
    }
}
