namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>Depthwise weight packing shared by the fp32 depthwise kernels.</summary>
internal static class DwPacking
{
    /// <summary>Floats of the packed weights: per tile of channels a bias vector and ks weight vectors.</summary>
    public static long Floats(int channels, int ks, int tile) => (long)((channels + tile - 1) / tile) * (tile + ((long)ks * tile));

    /// <summary>OHWI depthwise weights [C][ks][1] and bias [C] into [tile][bias][ks][tile], zero past the last channel.</summary>
    public static void Pack(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int channels, int ks, int tile, Span<float> packed)
    {
        int stride = tile + (ks * tile);
        for (int c = 0; c < channels; c++)
        {
            Span<float> t = packed.Slice(c / tile * stride, stride);
            int j = c % tile;
            t[j] = bias.IsEmpty ? 0f : bias[c];
            for (int k = 0; k < ks; k++)
            {
                t[tile + (k * tile) + j] = weights[(c * ks) + k];
            }
        }
    }
}
