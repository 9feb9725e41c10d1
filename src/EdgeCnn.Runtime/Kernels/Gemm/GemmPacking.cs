namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// Packs OHWI convolution (or [O, K] Dense) weights into a GEMM microkernel's panel layout, once at Plan. Per group, per
/// block of NR output channels: [NR biases][ks taps][kc input channels][NR channels], channels past the group's last one
/// zero (their outputs are computed and never stored). The microkernel then reads weights strictly sequentially.
/// </summary>
internal static class GemmPacking
{
    /// <summary>Floats of one group's packed weights.</summary>
    public static long GroupFloats(int outputsPerGroup, int ks, int kc, int nr) =>
        (long)BlockCount(outputsPerGroup, nr) * BlockFloats(ks, kc, nr);

    public static int BlockCount(int outputsPerGroup, int nr) => (outputsPerGroup + nr - 1) / nr;

    public static long BlockFloats(int ks, int kc, int nr) => nr + ((long)ks * kc * nr);

    /// <param name="weights">[groups * outputsPerGroup][ks][kc] (OHWI with the spatial axes flattened into ks).</param>
    /// <param name="bias">[groups * outputsPerGroup], or empty for none.</param>
    /// <param name="packed">GroupFloats * groups floats, zeroed.</param>
    public static void Pack(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int groups, int outputsPerGroup, int ks, int kc, int nr,
        Span<float> packed)
    {
        long blockFloats = BlockFloats(ks, kc, nr);
        int blocks = BlockCount(outputsPerGroup, nr);
        long perOutput = (long)ks * kc;
        for (int g = 0; g < groups; g++)
        {
            for (int b = 0; b < blocks; b++)
            {
                Span<float> block = packed.Slice((int)((((long)g * blocks) + b) * blockFloats), (int)blockFloats);
                int columns = Math.Min(nr, outputsPerGroup - (b * nr));
                for (int j = 0; j < columns; j++)
                {
                    int o = (g * outputsPerGroup) + (b * nr) + j;
                    block[j] = bias.IsEmpty ? 0f : bias[o];
                    ReadOnlySpan<float> src = weights.Slice((int)(o * perOutput), (int)perOutput);
                    for (int i = 0; i < src.Length; i++)
                    {
                        block[nr + (i * nr) + j] = src[i]; // i = tap * kc + channel
                    }
                }
            }
        }
    }
}
