namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>
/// An fp32 depthwise microkernel over a run of output pixels (one output row), channels last: for each pixel p
///   y[p][c] = clamp(bias[c] + sum_{t &lt; ks} input[p][t][c] * w[t][c], min, max) for c &lt; channels
/// input[p][t] points at the pixel tap t of output pixel p reads (channel 0) or at a zero row for padding. Weights are
/// packed per tile of <see cref="ChannelTile"/> channels as [tile bias][ks][tile], zero past the last channel.
/// </summary>
internal unsafe interface IDwMicrokernelF32
{
    /// <summary>Channels per packed tile (the vector width).</summary>
    static abstract int ChannelTile { get; }

    /// <summary>Taps the kernel is specialised for, or 0 when it takes any count.</summary>
    static abstract int FixedTaps { get; }

    /// <param name="pixels">Output pixels in the run.</param>
    /// <param name="input">pixels * ks tap pointers, pixel-major.</param>
    /// <param name="y">Output of the first pixel; the next is channels further.</param>
    static abstract void Run(nint pixels, nint channels, nint ks, float** input, float* w, float* y, float min, float max);
}
