using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// One call of an int8 GEMM microkernel that reads activations and weights already widened to int16 (S8ConvGemmI16): the
/// MR output rows of a block across every panel of a group, ceil(Nc / NR) tiles of MR x NR (of which Mr x Nc is stored):
///   C[r, n] = requantize(Bias[n] + sum_{t, k &lt; Kc} A[t][r][k] * W[t][k][n])
/// with A[t][r] an int16 row per tap. Rows are read in pairs, Kc2 = Kc rounded up to even values from each row: the
/// value past an odd Kc meets a zero weight, and every row has one readable int16 after it (S8ConvGemmI16 pads).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct S8GemmI16Call
{
    /// <summary>[Taps][MR] int16 row pointers; rows past Mr repeat a valid row (they are computed and not stored).</summary>
    public short** A;

    /// <summary>The padding row (Kc2 values of z_x): pointers equal to it are not moved by AOffset.</summary>
    public short* Zero;

    /// <summary>Values (int16) added to every other row pointer: the first input channel of the group.</summary>
    public nint AOffset;

    public int Taps;

    /// <summary>Reduction length per tap rounded up to even (input channels of the group).</summary>
    public int Kc2;

    /// <summary>The group's packed panels one after the other: [Panels][Taps][Kc2 / 2][NR][2] int16 (S8PackedWeightsI16).</summary>
    public short* W;

    /// <summary>[Panels * NR] folded bias of the group's columns.</summary>
    public int* Bias;

    /// <summary>Output row 0, column 0 of the group; rows are CStride bytes apart.</summary>
    public sbyte* C;

    public nint CStride;

    /// <summary>Rows (1..MR) of the block and columns (the group's output channels) that are stored.</summary>
    public int Mr;

    public int Nc;

    /// <summary>Requantization constants from the group's column 0.</summary>
    public S8RequantView Q;

    /// <summary>What the layer's requantization needs (chosen at Plan so the epilogue skips the rest).</summary>
    public S8RequantShape Shape;
}

/// <summary>An int8 GEMM microkernel on int16-widened operands (static, so the driver specializes per kernel).</summary>
public unsafe interface IS8GemmI16Microkernel
{
    /// <summary>Rows of the output tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the output tile (the packed panel width).</summary>
    static abstract int Nr { get; }

    /// <summary>The instruction sets it needs are present (checked once, at Plan).</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Tile and ISA part of the kernel name, e.g. "6x16c2-minmax-avx2".</summary>
    static abstract string Suffix { get; }

    /// <summary>dst[i] = src[i] for i &lt; count (sign extension), once per Run before the tiles.</summary>
    static abstract void Widen(sbyte* src, short* dst, nint count);

    static abstract void Run(ref S8GemmI16Call call);
}
