using System.Numerics;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference per-channel clamp over the last axis: y[i, c] = x &lt; lo[c] ? lo[c] : x &gt; hi[c] ? hi[c] : x. The same code
/// serves fp32 (NaN passes: both comparisons are false) and int8 (bounds already quantized with the tensor's own
/// quantization at Plan). In place ok: each element is read before it is written.
/// </summary>
public static class ChannelClipKernels
{
    public static void Clamp<T>(ReadOnlySpan<T> input, Span<T> output, ReadOnlySpan<T> lo, ReadOnlySpan<T> hi)
        where T : IComparisonOperators<T, T, bool>
    {
        int c = lo.Length;
        for (int i = 0; i < input.Length; i += c)
        {
            for (int ch = 0; ch < c; ch++)
            {
                T v = input[i + ch];
                output[i + ch] = v < lo[ch] ? lo[ch] : v > hi[ch] ? hi[ch] : v;
            }
        }
    }
}
