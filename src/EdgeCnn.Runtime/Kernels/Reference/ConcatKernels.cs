using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference concat, one input at a time. Viewed as [outer, chunk]: the input's block of outer row o (inputChunk elements,
/// = its axis dim times the inner size) lands at output[o * outputChunk + offset].
/// </summary>
public static class ConcatKernels
{
    public static void CopySlice<T>(ReadOnlySpan<T> input, Span<T> output, int outer, int inputChunk, int outputChunk, int offset)
        where T : unmanaged
    {
        for (int o = 0; o < outer; o++)
        {
            input.Slice(o * inputChunk, inputChunk).CopyTo(output.Slice((o * outputChunk) + offset, inputChunk));
        }
    }

    /// <summary>
    /// int8 input with another scale or zero point than the output: y = z_y + MultiplyByQuantizedMultiplier(q - z_x, M, shift),
    /// M = s_x / s_y, saturated to int8 (TFLite's requantize).
    /// </summary>
    public static void RequantizeSlice(ReadOnlySpan<sbyte> input, Span<sbyte> output, int outer, int inputChunk, int outputChunk, int offset,
        int inputZeroPoint, int outputZeroPoint, int multiplier, int shift)
    {
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<sbyte> src = input.Slice(o * inputChunk, inputChunk);
            Span<sbyte> dst = output.Slice((o * outputChunk) + offset, inputChunk);
            for (int i = 0; i < src.Length; i++)
            {
                int y = outputZeroPoint + FixedPoint.MultiplyByQuantizedMultiplier(src[i] - inputZeroPoint, multiplier, shift);
                dst[i] = (sbyte)Math.Clamp(y, -128, 127);
            }
        }
    }
}
