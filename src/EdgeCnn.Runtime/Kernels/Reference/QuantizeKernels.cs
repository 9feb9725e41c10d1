using System.Numerics;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>Reference Quantize (fp32 to int8) and Dequantize (int8 or int32 to fp32), as ONNX QuantizeLinear/DequantizeLinear.</summary>
public static class QuantizeKernels
{
    /// <summary>y[i] = saturate(round_half_to_even(x[i] / scale) + zeroPoint); NaN gives the zero point.</summary>
    public static void Quantize(ReadOnlySpan<float> x, Span<sbyte> y, float scale, int zeroPoint)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = QuantMath.QuantizeToInt8(x[i], scale, zeroPoint);
        }
    }

    /// <summary>
    /// y[i] = (float)(q[i] - z[c]) * s[c], the input viewed as [outer, channels, inner] with c the channel of element i
    /// (channels = 1 for per-tensor). The difference is taken in 64 bits: for int32 input q - z cannot overflow.
    /// </summary>
    public static void Dequantize<T>(ReadOnlySpan<T> q, Span<float> y, int channels, int inner, ReadOnlySpan<float> scales,
        ReadOnlySpan<int> zeroPoints)
        where T : unmanaged, IBinaryInteger<T>
    {
        int i = 0;
        while (i < q.Length)
        {
            for (int c = 0; c < channels; c++)
            {
                float s = scales[c];
                long z = zeroPoints[c];
                for (int k = 0; k < inner; k++, i++)
                {
                    y[i] = (long.CreateTruncating(q[i]) - z) * s;
                }
            }
        }
    }
}
