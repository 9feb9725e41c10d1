namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>Reference transpose: output[o0..o(r-1)] = input[i] with i[perm[k]] = o[k], for any element type, rank up to 6.</summary>
public static class TransposeKernels
{
    public const int MaxRank = 6;

    /// <param name="inShape">Input dims (rank r &lt;= 6).</param>
    /// <param name="perm">Output axis k is input axis perm[k].</param>
    public static void Transpose<T>(ReadOnlySpan<T> input, Span<T> output, ReadOnlySpan<int> inShape, ReadOnlySpan<int> perm)
        where T : unmanaged
    {
        int r = inShape.Length;
        Span<int> inStride = stackalloc int[MaxRank];
        Span<int> outDim = stackalloc int[MaxRank];
        Span<int> step = stackalloc int[MaxRank]; // input stride of output axis k
        Span<int> coord = stackalloc int[MaxRank];
        int s = 1;
        for (int d = r - 1; d >= 0; d--)
        {
            inStride[d] = s;
            s *= inShape[d];
        }

        for (int k = 0; k < r; k++)
        {
            outDim[k] = inShape[perm[k]];
            step[k] = inStride[perm[k]];
            coord[k] = 0;
        }

        // Walk the output in row-major order like an odometer, keeping the matching input offset up to date.
        int src = 0;
        for (int o = 0; o < output.Length; o++)
        {
            output[o] = input[src];
            for (int k = r - 1; k >= 0; k--)
            {
                src += step[k];
                if (++coord[k] < outDim[k])
                {
                    break;
                }

                src -= step[k] * outDim[k];
                coord[k] = 0;
            }
        }
    }
}
