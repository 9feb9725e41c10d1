using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference batch normalization (inference form), softmax / log-softmax and maxout. In-place safe where stated: each element
/// is read before it is written.
/// </summary>
public static class NormalizationKernels
{
    /// <summary>y[i, c] = a[c] * x[i, c] + b[c] over the last axis (a = scale / sqrt(var + eps), b = bias - a * mean). In place ok.</summary>
    public static void BatchNormFloat32(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int c = a.Length;
        for (int i = 0; i < input.Length; i += c)
        {
            for (int ch = 0; ch < c; ch++)
            {
                output[i + ch] = (a[ch] * input[i + ch]) + b[ch];
            }
        }
    }

    /// <summary>int8 via fp32: quantize_y(a[c] * dequantize_x(q) + b[c]). In place ok.</summary>
    public static void BatchNormInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b,
        float inScale, int inZeroPoint, float outScale, int outZeroPoint)
    {
        int c = a.Length;
        for (int i = 0; i < input.Length; i += c)
        {
            for (int ch = 0; ch < c; ch++)
            {
                float x = QuantMath.Dequantize(input[i + ch], inScale, inZeroPoint);
                output[i + ch] = QuantMath.QuantizeToInt8((a[ch] * x) + b[ch], outScale, outZeroPoint);
            }
        }
    }

    /// <summary>
    /// Softmax (or log-softmax) along an axis of length `length` in a tensor viewed as [outer, length, inner]:
    /// y = e^(x - max) / sum e^(x - max), log: y = (x - max) - log(sum e^(x - max)). In place ok.
    /// </summary>
    public static void SoftmaxFloat32(ReadOnlySpan<float> input, Span<float> output, int outer, int length, int inner, bool log)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = (o * length * inner) + i;
                float max = float.NegativeInfinity;
                for (int k = 0; k < length; k++)
                {
                    max = MathF.Max(max, input[start + (k * inner)]);
                }

                float sum = 0f;
                for (int k = 0; k < length; k++)
                {
                    sum += MathF.Exp(input[start + (k * inner)] - max);
                }

                float logSum = MathF.Log(sum);
                for (int k = 0; k < length; k++)
                {
                    int at = start + (k * inner);
                    float d = input[at] - max;
                    output[at] = log ? d - logSum : MathF.Exp(d) / sum;
                }
            }
        }
    }

    /// <summary>
    /// int8 via fp32: each row is dequantized, d = dequantize(q) - dequantize(max q) (the max of q is the max of the reals:
    /// the scale is positive), then the fp32 formula, quantized with the output quantization. In place ok.
    /// </summary>
    public static void SoftmaxInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, int outer, int length, int inner, bool log,
        float inScale, int inZeroPoint, float outScale, int outZeroPoint)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = (o * length * inner) + i;
                int maxQ = sbyte.MinValue;
                for (int k = 0; k < length; k++)
                {
                    maxQ = Math.Max(maxQ, input[start + (k * inner)]);
                }

                float max = QuantMath.Dequantize(maxQ, inScale, inZeroPoint);
                float sum = 0f;
                for (int k = 0; k < length; k++)
                {
                    sum += MathF.Exp(QuantMath.Dequantize(input[start + (k * inner)], inScale, inZeroPoint) - max);
                }

                float logSum = MathF.Log(sum);
                for (int k = 0; k < length; k++)
                {
                    int at = start + (k * inner);
                    float d = QuantMath.Dequantize(input[at], inScale, inZeroPoint) - max;
                    output[at] = QuantMath.QuantizeToInt8(log ? d - logSum : MathF.Exp(d) / sum, outScale, outZeroPoint);
                }
            }
        }
    }

    /// <summary>Maxout over the last axis: y[.., c] = max_{j &lt; k} x[.., c * k + j]; the output has C / k channels.</summary>
    public static void MaxoutFloat32(ReadOnlySpan<float> input, Span<float> output, int groupSize)
    {
        for (int o = 0; o < output.Length; o++)
        {
            int first = o * groupSize;
            float m = input[first];
            for (int j = 1; j < groupSize; j++)
            {
                float v = input[first + j];
                m = v > m || float.IsNaN(v) ? v : m; // NaN propagates, as in max pool
            }

            output[o] = m;
        }
    }

    /// <summary>int8 maxout: max of q, then y = z_y + (q - z_x) * M, M = s_x / s_y in fixed point (identity when equal).</summary>
    public static void MaxoutInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, int groupSize, int inZeroPoint, int outZeroPoint,
        int multiplier, int shift)
    {
        for (int o = 0; o < output.Length; o++)
        {
            int first = o * groupSize;
            int m = input[first];
            for (int j = 1; j < groupSize; j++)
            {
                m = Math.Max(m, input[first + j]);
            }

            output[o] = PoolKernels.Requantize(m - inZeroPoint, outZeroPoint, multiplier, shift);
        }
    }
}
