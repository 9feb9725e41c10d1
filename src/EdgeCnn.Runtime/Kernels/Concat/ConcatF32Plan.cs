namespace EdgeCnn.Runtime.Kernels.Concat;

/// <summary>
/// An fp32 Concat viewed as [outer, chunk]: input i's block of outer row o (Chunks[i] elements) lands at
/// y[o * OutputChunk + Offsets[i]].
/// </summary>
internal sealed unsafe class ConcatF32Plan(float* y, int outer, int outputChunk, nint[] inputs, int[] chunks, int[] offsets)
{
    public float* Y { get; } = y;

    public int Outer { get; } = outer;

    public int OutputChunk { get; } = outputChunk;

    /// <summary>Input base pointers (float*), one per input.</summary>
    public nint[] Inputs { get; } = inputs;

    public int[] Chunks { get; } = chunks;

    public int[] Offsets { get; } = offsets;
}
