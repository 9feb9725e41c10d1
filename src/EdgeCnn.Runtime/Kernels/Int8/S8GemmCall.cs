using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// One call of an int8 GEMM microkernel: an MR x NR output tile (of which Mr x Nc is stored) of
///   C[r, n] = requantize(Bias[n] + sum_{t, k &lt; Kc} A[t][r][k] * W[t][k][n])
/// where A[t][r] is a row pointer per tap (the indirection buffer of an im2col-free convolution, or the rows of a plain
/// GEMM as one tap). The input zero point is already folded into Bias (bias - z_x * sum(w), and - 128 * sum(w) more for
/// kernels that shift activations to u8), so padding rows point to a buffer holding z_x and cancel exactly.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct S8GemmCall
{
    /// <summary>[Taps][MR] row pointers; rows past Mr repeat a valid row (they are computed and not stored).</summary>
    public sbyte** A;

    /// <summary>The padding row (Kc bytes of z_x): pointers equal to it are not moved by AOffset.</summary>
    public sbyte* Zero;

    /// <summary>Bytes added to every other row pointer: the first input channel of the group.</summary>
    public nint AOffset;

    public int Taps;

    /// <summary>Reduction length per tap (input channels of the group).</summary>
    public int Kc;

    /// <summary>The packed panel: [Taps][ceil(Kc / 4)][NR][4] int8, zero past Kc (S8PackedWeights).</summary>
    public sbyte* W;

    /// <summary>[NR] folded bias of the panel's columns.</summary>
    public int* Bias;

    /// <summary>Output row 0, column 0 of the tile; rows are CStride bytes apart.</summary>
    public sbyte* C;

    public nint CStride;

    /// <summary>Rows (1..MR) and columns (1..NR) of the tile that are stored.</summary>
    public int Mr;

    public int Nc;

    /// <summary>Requantization constants from the tile's column 0.</summary>
    public S8RequantView Q;
}

/// <summary>
/// An int8 GEMM microkernel (static, so the driver specializes per kernel and the call inlines). Kernels reading
/// activations as u8 (VPDPBUSD) report ActivationShift 128: the packer folds 128 * sum(w) into their bias.
/// </summary>
public interface IS8GemmMicrokernel
{
    /// <summary>Rows of the output tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the output tile (the packed panel width).</summary>
    static abstract int Nr { get; }

    /// <summary>0, or 128 for kernels that compute on x + 128 (u8).</summary>
    static abstract int ActivationShift { get; }

    /// <summary>The instruction sets it needs are present (checked once, at Plan).</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Tile and ISA part of the kernel name, e.g. "4x8c4-minmax-avx2".</summary>
    static abstract string Suffix { get; }

    static abstract void Run(ref S8GemmCall call);
}
