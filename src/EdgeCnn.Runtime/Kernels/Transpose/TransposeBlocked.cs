using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Transpose;

/// <summary>
/// A batch of 2-D transposes, [Batch, Rows, Cols] -&gt; [Batch, Cols, Rows], in square tiles of <see cref="Tile"/> elements
/// so that the lines a tile reads and the lines it writes both stay in L1 (the reference walks the output and strides
/// through the input one element at a time). Scalar: serves fp32 and int8 on any CPU.
/// </summary>
internal sealed unsafe class TransposeBlockedKernel<T>(string name, TransposePlan plan) : Kernel
    where T : unmanaged
{
    /// <summary>Tile side: 32 x 32 fp32 is 4 KB read + 4 KB written.</summary>
    public const int Tile = 32;

    private readonly T* _x = (T*)plan.X;
    private readonly T* _y = (T*)plan.Y;
    private readonly int _batch = plan.Batch;
    private readonly int _rows = plan.Rows;
    private readonly int _cols = plan.Cols;

    public override string Name => name;

    public static bool Accepts(TransposePlan plan) => plan.IsBatched2D;

    public override void Run()
    {
        int rows = _rows, cols = _cols;
        long matrix = (long)rows * cols;
        for (int b = 0; b < _batch; b++)
        {
            T* x = _x + (b * matrix), y = _y + (b * matrix);
            if (rows == 1 || cols == 1)
            {
                new ReadOnlySpan<T>(x, (int)matrix).CopyTo(new Span<T>(y, (int)matrix));
                continue;
            }

            for (int i0 = 0; i0 < rows; i0 += Tile)
            {
                int i1 = Math.Min(i0 + Tile, rows);
                for (int j0 = 0; j0 < cols; j0 += Tile)
                {
                    int j1 = Math.Min(j0 + Tile, cols);
                    for (int j = j0; j < j1; j++)
                    {
                        T* dst = y + ((long)j * rows);
                        T* src = x + j;
                        for (int i = i0; i < i1; i++)
                        {
                            dst[i] = src[(long)i * cols];
                        }
                    }
                }
            }
        }
    }
}
