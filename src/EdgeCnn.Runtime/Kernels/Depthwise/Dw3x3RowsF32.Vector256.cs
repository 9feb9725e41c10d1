using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>
/// f32-conv-dw-3x3-rows-minmax-avx2: interior pixels of a 3x3 depthwise row addressed directly from three input rows. Per pixel and
/// 8-channel tile: 9 input loads and 9 FMAs (two chains), against the indirect kernel's 9 pointer loads on top; the tile's
/// bias and 9 weight vectors stay in registers along the run (12 of 16 ymm / 32 NEON registers with the clamp bounds).
/// </summary>
internal readonly unsafe struct Dw3x3RowsVector256 : IDwRowMicrokernelF32
{
    public static int ChannelTile => 8;

    [SkipLocalsInit]
    public static void Run(nint pixels, nint channels, float* r0, float* r1, float* r2, nint tapStep, nint pixelStep, float* w, float* y,
        float min, float max)
    {
        Vector256<float> vmin = Vector256.Create(min), vmax = Vector256.Create(max);
        nint t2 = tapStep * 2;
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
            float* x0 = r0 + c, x1 = r1 + c, x2 = r2 + c, yp = y + c;
            for (nint p = 0; p < pixels; p++, x0 += pixelStep, x1 += pixelStep, x2 += pixelStep, yp += channels)
            {
                Vector256<float> acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(x0), k0, bias);
                Vector256<float> acc1 = Vector256.Load(x0 + tapStep) * k1;
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(x0 + t2), k2, acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(x1), k3, acc1);
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(x1 + tapStep), k4, acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(x1 + t2), k5, acc1);
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(x2), k6, acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(x2 + tapStep), k7, acc1);
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(x2 + t2), k8, acc0);
                Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc0 + acc1)).Store(yp);
            }
        }

        if (c < channels)
        {
            DwRowsScalarTail.Run(pixels, c, channels, r0, r1, r2, tapStep, pixelStep, w, 8, y, min, max);
        }
    }
}
