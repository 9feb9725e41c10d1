using System.Runtime.InteropServices;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// A preprocessing spec resolved against one model input shape: where channels are, how many, the input's height and width,
/// and the channel order. <see cref="PreprocessSpec.Resolve"/> makes it once (Plan); per-frame code reads it.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct PreprocessTarget(TensorLayout Layout, int Channels, int Height, int Width, ColorOrder Color)
{
    /// <summary>Elements of the input tensor: Channels * Height * Width (batch 1).</summary>
    public int ElementCount => Channels * Height * Width;

    /// <summary>Index of element (channel c, row y, column x) in the input tensor.</summary>
    public int IndexOf(int c, int y, int x) =>
        Layout == TensorLayout.Nchw ? (((c * Height) + y) * Width) + x : (((y * Width) + x) * Channels) + c;
}
