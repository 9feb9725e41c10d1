namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// An fp32 indirect-GEMM microkernel (XNNPACK's igemm contract): computes an mr x nc block of C, MR rows at most, NR
/// columns per step, for one output-pixel tile:
///   c[r][j] = clamp(w.bias[j] + sum_{t &lt; ks} sum_{k &lt; kc} A(r, t)[k] * w[t][k][j], min, max)
/// where A(r, t) = a[t * MR + r] (+ aOffset elements unless it is the zero row). Weights are packed per NR-column block as
/// [NR bias][ks][kc][NR], zero-padded past the last column (see <see cref="GemmPacking"/>). Rows r &gt;= mr are computed from
/// whatever pointers the caller put there (a valid row) and not stored. A 1x1 convolution or Dense is ks = 1 with
/// a[r] = x + row * stride: plain GEMM through the same code.
/// </summary>
internal unsafe interface IGemmMicrokernelF32
{
    /// <summary>Rows (output pixels) of the register tile.</summary>
    static abstract int MR { get; }

    /// <summary>Columns (output channels) of one packed weight block.</summary>
    static abstract int NR { get; }

    /// <param name="mr">Valid rows, 1..MR.</param>
    /// <param name="nc">Output columns to compute, a multiple of NR except for the last block of the layer.</param>
    /// <param name="kc">Reduction length per tap (input channels of the group).</param>
    /// <param name="ks">Taps: indirection pointers per row (KD * KH * KW; 1 for GEMM).</param>
    /// <param name="a">ks * MR row pointers, tap-major.</param>
    /// <param name="aOffset">Elements added to every row pointer except <paramref name="zero"/> (the group's first channel).</param>
    /// <param name="zero">The zero row that padding taps point at.</param>
    /// <param name="w">Packed weights of the first column block.</param>
    /// <param name="c">Output row 0, column 0.</param>
    /// <param name="cStride">Elements between output rows.</param>
    static abstract void Run(nint mr, nint nc, nint kc, nint ks, float** a, nint aOffset, float* zero, float* w, float* c, nint cStride,
        float min, float max);
}
