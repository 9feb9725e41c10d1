using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>
/// f32-conv-dw-3x3-rows-minmax-v128: interior pixels of a 3x3 depthwise row addressed directly from three input rows. Per pixel and
/// 4-channel tile: 9 input loads and 9 FMAs (two chains), against the indirect kernel's 9 pointer loads on top; the tile's
/// bias and 9 weight vectors stay in registers along the run (12 of 16 ymm / 32 NEON registers with the clamp bounds).
/// </summary>
internal readonly unsafe struct Dw3x3RowsVector128 : IDwRowMicrokernelF32
{
    public static int ChannelTile => 4;

    [SkipLocalsInit]
    public static void Run(nint pixels, nint channels, float* r0, float* r1, float* r2, nint tapStep, nint pixelStep, float* w, float* y,
        float min, float max)
    {
        Vector128<float> vmin = Vector128.Create(min), vmax = Vector128.Create(max);
        nint t2 = tapStep * 2;
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
            float* x0 = r0 + c, x1 = r1 + c, x2 = r2 + c, yp = y + c;
            for (nint p = 0; p < pixels; p++, x0 += pixelStep, x1 += pixelStep, x2 += pixelStep, yp += channels)
            {
                Vector128<float> acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(x0), k0, bias);
                Vector128<float> acc1 = Vector128.Load(x0 + tapStep) * k1;
                acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(x0 + t2), k2, acc0);
                acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(x1), k3, acc1);
                acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(x1 + tapStep), k4, acc0);
                acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(x1 + t2), k5, acc1);
                acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(x2), k6, acc0);
                acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(x2 + tapStep), k7, acc1);
                acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(x2 + t2), k8, acc0);
                Vector128.MinNative(vmax, Vector128.MaxNative(vmin, acc0 + acc1)).Store(yp);
            }
        }

        if (c < channels)
        {
            DwRowsScalarTail.Run(pixels, c, channels, r0, r1, r2, tapStep, pixelStep, w, 4, y, min, max);
        }
    }
}
