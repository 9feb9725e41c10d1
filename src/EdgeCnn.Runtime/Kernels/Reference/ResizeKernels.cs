using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference N-d resize (ONNX Resize) from per-axis tables built at Plan (see ResizeTables). Tables are concatenated over the
/// axes: entry j of axis d is at tableOffset[d] + j, one entry per output index of that axis.
/// </summary>
public static class ResizeKernels
{
    public const int MaxRank = 6;

    /// <summary>Nearest: output[o] = input[source[0][o0], .., source[r-1][o(r-1)]].</summary>
    public static void Nearest<T>(ReadOnlySpan<T> input, Span<T> output, ReadOnlySpan<int> inShape, ReadOnlySpan<int> outShape,
        ReadOnlySpan<int> source)
        where T : unmanaged
    {
        int r = inShape.Length;
        Span<int> inStride = stackalloc int[MaxRank];
        Span<int> tableOffset = stackalloc int[MaxRank];
        Span<int> coord = stackalloc int[MaxRank];
        Setup(inShape, outShape, inStride, tableOffset, coord);
        for (int o = 0; o < output.Length; o++)
        {
            int src = 0;
            for (int d = 0; d < r; d++)
            {
                src += source[tableOffset[d] + coord[d]] * inStride[d];
            }

            output[o] = input[src];
            Advance(coord, outShape);
        }
    }

    /// <summary>
    /// N-linear: each output is the sum over the 2^r corners of prod_d (bit_d ? w_d : 1 - w_d) * input[bit_d ? hi_d : lo_d],
    /// corners taken in increasing bit order; corners with weight exactly 0 are skipped (so a resize to the same size is exact
    /// and an infinite neighbour with weight 0 does not turn the result into NaN).
    /// </summary>
    public static void Linear(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<int> inShape, ReadOnlySpan<int> outShape,
        ReadOnlySpan<int> low, ReadOnlySpan<int> high, ReadOnlySpan<float> weight)
    {
        int r = inShape.Length;
        Span<int> inStride = stackalloc int[MaxRank];
        Span<int> tableOffset = stackalloc int[MaxRank];
        Span<int> coord = stackalloc int[MaxRank];
        Setup(inShape, outShape, inStride, tableOffset, coord);
        for (int o = 0; o < output.Length; o++)
        {
            output[o] = Interpolate(input, r, inStride, tableOffset, coord, low, high, weight, default(FloatSample));
            Advance(coord, outShape);
        }
    }

    /// <summary>int8 linear, via fp32: quantize_y(N-linear(dequantize_x(input))) with the same corner order as Linear.</summary>
    public static void LinearInt8(ReadOnlySpan<sbyte> input, Span<sbyte> output, ReadOnlySpan<int> inShape, ReadOnlySpan<int> outShape,
        ReadOnlySpan<int> low, ReadOnlySpan<int> high, ReadOnlySpan<float> weight, float inScale, int inZeroPoint, float outScale, int outZeroPoint)
    {
        int r = inShape.Length;
        Span<int> inStride = stackalloc int[MaxRank];
        Span<int> tableOffset = stackalloc int[MaxRank];
        Span<int> coord = stackalloc int[MaxRank];
        Setup(inShape, outShape, inStride, tableOffset, coord);
        var dequantize = new DequantizeSample(inScale, inZeroPoint);
        for (int o = 0; o < output.Length; o++)
        {
            float acc = Interpolate(input, r, inStride, tableOffset, coord, low, high, weight, dequantize);
            output[o] = QuantMath.QuantizeToInt8(acc, outScale, outZeroPoint);
            Advance(coord, outShape);
        }
    }

    /// <summary>The N-linear sum over the 2^r corners of one output element; the sample struct turns an element into fp32.</summary>
    private static float Interpolate<T, TSample>(ReadOnlySpan<T> input, int r, ReadOnlySpan<int> inStride, ReadOnlySpan<int> tableOffset,
        ReadOnlySpan<int> coord, ReadOnlySpan<int> low, ReadOnlySpan<int> high, ReadOnlySpan<float> weight, TSample sample)
        where TSample : struct, ISample<T>
    {
        float acc = 0f;
        for (int corner = 0; corner < 1 << r; corner++)
        {
            float w = 1f;
            int src = 0;
            for (int d = 0; d < r; d++)
            {
                int t = tableOffset[d] + coord[d];
                bool hi = (corner & (1 << d)) != 0;
                w *= hi ? weight[t] : 1f - weight[t];
                src += (hi ? high[t] : low[t]) * inStride[d];
            }

            if (w != 0f)
            {
                acc += w * sample.ToFloat(input[src]);
            }
        }

        return acc;
    }

    private static void Setup(ReadOnlySpan<int> inShape, ReadOnlySpan<int> outShape, Span<int> inStride, Span<int> tableOffset, Span<int> coord)
    {
        int r = inShape.Length;
        int s = 1;
        for (int d = r - 1; d >= 0; d--)
        {
            inStride[d] = s;
            s *= inShape[d];
            coord[d] = 0;
        }

        int t = 0;
        for (int d = 0; d < r; d++)
        {
            tableOffset[d] = t;
            t += outShape[d];
        }
    }

    private static void Advance(Span<int> coord, ReadOnlySpan<int> outShape)
    {
        for (int d = outShape.Length - 1; d >= 0; d--)
        {
            if (++coord[d] < outShape[d])
            {
                break;
            }

            coord[d] = 0;
        }
    }

    private interface ISample<in T>
    {
        float ToFloat(T value);
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
    private readonly struct FloatSample : ISample<float>
    {
        public float ToFloat(float value) => value;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
    private readonly struct DequantizeSample(float scale, int zeroPoint) : ISample<sbyte>
    {
        public float ToFloat(sbyte value) => QuantMath.Dequantize(value, scale, zeroPoint);
    }
}
