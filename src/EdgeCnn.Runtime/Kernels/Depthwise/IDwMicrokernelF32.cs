namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>
/// An fp32 depthwise microkernel over one output pixel, channels last:
///   y[c] = clamp(bias[c] + sum_{t &lt; ks} input[t][c] * w[t][c], min, max) for c &lt; channels
/// input[t] points at the pixel tap t reads (channel 0) or at a zero row for padding. Weights are packed per tile of
/// <see cref="ChannelTile"/> channels as [tile bias][ks][tile], zero past the last channel (see DwPacking).
/// </summary>
internal unsafe interface IDwMicrokernelF32
{
    /// <summary>Channels per packed tile (the vector width).</summary>
    static abstract int ChannelTile { get; }

    /// <summary>Taps the kernel is specialised for, or 0 when it takes any count.</summary>
    static abstract int FixedTaps { get; }

    static abstract void Run(nint channels, nint ks, float** input, float* w, float* y, float min, float max);
}
