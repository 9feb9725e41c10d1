using System.Runtime.CompilerServices;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>The last channels (fewer than a vector) of a run of interior 3x3 pixels, in scalar fp32 from the same packed tile.</summary>
internal static unsafe class DwRowsScalarTail
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run(nint pixels, nint c, nint channels, float* r0, float* r1, float* r2, nint tapStep, nint pixelStep, float* w,
        nint tile, float* y, float min, float max)
    {
        for (nint p = 0; p < pixels; p++)
        {
            nint at = p * pixelStep;
            for (nint j = 0; c + j < channels; j++)
            {
                float* x0 = r0 + at + c + j, x1 = r1 + at + c + j, x2 = r2 + at + c + j;
                float* k = w + tile + j;
                float acc = w[j];
                acc = MathF.FusedMultiplyAdd(x0[0], k[0], acc);
                acc = MathF.FusedMultiplyAdd(x0[tapStep], k[tile], acc);
                acc = MathF.FusedMultiplyAdd(x0[2 * tapStep], k[2 * tile], acc);
                acc = MathF.FusedMultiplyAdd(x1[0], k[3 * tile], acc);
                acc = MathF.FusedMultiplyAdd(x1[tapStep], k[4 * tile], acc);
                acc = MathF.FusedMultiplyAdd(x1[2 * tapStep], k[5 * tile], acc);
                acc = MathF.FusedMultiplyAdd(x2[0], k[6 * tile], acc);
                acc = MathF.FusedMultiplyAdd(x2[tapStep], k[7 * tile], acc);
                acc = MathF.FusedMultiplyAdd(x2[2 * tapStep], k[8 * tile], acc);
                y[(p * channels) + c + j] = MathF.Min(MathF.Max(acc, min), max);
            }
        }
    }
}
