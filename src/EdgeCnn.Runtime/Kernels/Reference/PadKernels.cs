namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference N-d pad (ONNX Pad) for any element type, rank up to 6. Output coordinate o on an axis reads input o - begin;
/// outside the input that is the fill value (constant), the mirror without repeating the edge (reflect), or the nearest
/// edge (edge). A negative begin or end crops.
/// </summary>
public static class PadKernels
{
    public const int MaxRank = 6;

    public const int Constant = 0, Reflect = 1, Edge = 2;

    /// <param name="padBegin">Elements added before each axis (negative crops).</param>
    /// <param name="mode">Constant (0), Reflect (1) or Edge (2); reflect needs every positive pad smaller than its axis.</param>
    public static void Pad<T>(ReadOnlySpan<T> input, Span<T> output, ReadOnlySpan<int> inShape, ReadOnlySpan<int> outShape,
        ReadOnlySpan<int> padBegin, int mode, T fill)
        where T : unmanaged
    {
        int r = inShape.Length;
        Span<int> inStride = stackalloc int[MaxRank];
        Span<int> coord = stackalloc int[MaxRank];
        int s = 1;
        for (int d = r - 1; d >= 0; d--)
        {
            inStride[d] = s;
            s *= inShape[d];
            coord[d] = 0;
        }

        for (int o = 0; o < output.Length; o++)
        {
            int src = 0;
            bool inside = true;
            for (int d = 0; d < r; d++)
            {
                int n = inShape[d];
                int i = coord[d] - padBegin[d];
                if (i < 0 || i >= n)
                {
                    if (mode == Constant)
                    {
                        inside = false;
                        break;
                    }

                    i = mode == Reflect ? (i < 0 ? -i : (2 * (n - 1)) - i) : (i < 0 ? 0 : n - 1);
                }

                src += i * inStride[d];
            }

            output[o] = inside ? input[src] : fill;
            for (int d = r - 1; d >= 0; d--)
            {
                if (++coord[d] < outShape[d])
                {
                    break;
                }

                coord[d] = 0;
            }
        }
    }
}
