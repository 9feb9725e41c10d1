namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>
/// An fp32 3x3 depthwise microkernel over a run of interior output pixels of one row (every tap inside the input), channels
/// last and addressed directly: tap (ky, kx) of pixel p reads rows[ky] + p * pixelStep + kx * tapStep (channel 0), so no
/// pointer is loaded per tap. For each pixel p and channel c &lt; channels
///   y[p][c] = clamp(bias[c] + sum_{ky, kx &lt; 3} x(ky, kx)[c] * w[ky * 3 + kx][c], min, max)
/// with the weights packed per tile of <see cref="ChannelTile"/> channels as [tile bias][9][tile] (<see cref="DwPacking"/>).
/// </summary>
internal unsafe interface IDwRowMicrokernelF32
{
    /// <summary>Channels per packed tile (the vector width).</summary>
    static abstract int ChannelTile { get; }

    /// <param name="pixels">Output pixels in the run.</param>
    /// <param name="r0">Input row of ky = 0 at the first pixel's kx = 0 tap; r1, r2 the rows of ky = 1, 2.</param>
    /// <param name="tapStep">Elements between horizontal taps (dilation * channels).</param>
    /// <param name="pixelStep">Elements between consecutive output pixels' inputs (stride * channels).</param>
    /// <param name="y">Output of the first pixel; the next is channels further.</param>
    static abstract void Run(nint pixels, nint channels, float* r0, float* r1, float* r2, nint tapStep, nint pixelStep, float* w, float* y,
        float min, float max);
}
