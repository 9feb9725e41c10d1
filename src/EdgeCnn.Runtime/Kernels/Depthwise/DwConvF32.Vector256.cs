using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>f32-conv-dw-avx2: any window, 8 channels per step; the scalar tail reads only real channels.</summary>
internal readonly unsafe struct DwVector256 : IDwMicrokernelF32
{
    public static int ChannelTile => 8;

    public static int FixedTaps => 0;

    [SkipLocalsInit]
    public static void Run(nint channels, nint ks, float** input, float* w, float* y, float min, float max)
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

            Vector256.Min(Vector256.Max(acc, vmin), vmax).Store(y + c);
        }

        DwScalarTail.Run(c, channels, ks, input, w, 8, y, min, max);
    }
}

/// <summary>f32-conv-dw-3x3-avx2: the 9 taps unrolled, 16 channels (two independent chains) per step.</summary>
internal readonly unsafe struct Dw3x3Vector256 : IDwMicrokernelF32
{
    public static int ChannelTile => 8;

    public static int FixedTaps => 9;

    [SkipLocalsInit]
    public static void Run(nint channels, nint ks, float** input, float* w, float* y, float min, float max)
    {
        float* i0 = input[0], i1 = input[1], i2 = input[2], i3 = input[3], i4 = input[4];
        float* i5 = input[5], i6 = input[6], i7 = input[7], i8 = input[8];
        Vector256<float> vmin = Vector256.Create(min), vmax = Vector256.Create(max);
        nint c = 0;
        for (; c <= channels - 8; c += 8, w += 80)
        {
            Vector256<float> acc0 = Vector256.Load(w);
            Vector256<float> acc1 = Vector256.Load(i0 + c) * Vector256.Load(w + 8);
            acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(i1 + c), Vector256.Load(w + 16), acc0);
            acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(i2 + c), Vector256.Load(w + 24), acc1);
            acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(i3 + c), Vector256.Load(w + 32), acc0);
            acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(i4 + c), Vector256.Load(w + 40), acc1);
            acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(i5 + c), Vector256.Load(w + 48), acc0);
            acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(i6 + c), Vector256.Load(w + 56), acc1);
            acc0 = Vector256.MultiplyAddEstimate(Vector256.Load(i7 + c), Vector256.Load(w + 64), acc0);
            acc1 = Vector256.MultiplyAddEstimate(Vector256.Load(i8 + c), Vector256.Load(w + 72), acc1);
            Vector256.Min(Vector256.Max(acc0 + acc1, vmin), vmax).Store(y + c);
        }

        DwScalarTail.Run(c, channels, 9, input, w, 8, y, min, max);
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
