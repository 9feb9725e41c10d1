using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Concat;

/// <summary>
/// fp32 Concat output row by output row: each input's block of the row is copied in turn, so the output is written
/// sequentially, and blocks shorter than 16 floats (a concat along a last axis of 2 or 4: box decoding) are copied element by
/// element instead of through a memmove call per block, which the reference pays per block.
/// </summary>
internal sealed unsafe class ConcatF32RowsKernel(string name, ConcatF32Plan plan) : Kernel
{
    private const int ShortBlock = 16;

    private readonly float* _y = plan.Y; // [outer, outputChunk]
    private readonly int _outer = plan.Outer;
    private readonly int _outputChunk = plan.OutputChunk;
    private readonly nint[] _inputs = plan.Inputs; // [parts] float* of [outer, chunk]
    private readonly int[] _chunks = plan.Chunks;
    private readonly int[] _offsets = plan.Offsets;

    public override string Name => name;

    public static bool Accepts(ConcatF32Plan plan) => plan.Inputs.Length > 0;

    public override void Run()
    {
        float* y = _y;
        for (long o = 0; o < _outer; o++, y += _outputChunk)
        {
            for (int p = 0; p < _inputs.Length; p++)
            {
                int chunk = _chunks[p];
                float* src = (float*)_inputs[p] + (o * chunk), dst = y + _offsets[p];
                if (chunk < ShortBlock)
                {
                    for (int i = 0; i < chunk; i++)
                    {
                        dst[i] = src[i];
                    }
                }
                else
                {
                    Buffer.MemoryCopy(src, dst, (long)chunk * sizeof(float), (long)chunk * sizeof(float));
                }
            }
        }
    }
}
