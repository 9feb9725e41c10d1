using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Kernels.Transpose;

/// <summary>
/// A Transpose node (fp32 or int8; only bytes move) with its permutation reduced at Plan: axes of extent 1 dropped and input
/// axes that stay adjacent and in order in the output merged. When what is left swaps two groups it is a batch of 2-D
/// transposes, [Batch, Rows, Cols] -&gt; [Batch, Cols, Rows] (<see cref="IsBatched2D"/>): NCHW -&gt; NHWC (perm 0,2,3,1) is
/// [N, C, H*W] and NHWC -&gt; NCHW (perm 0,3,1,2) is [N, H*W, C]. Any other permutation is left to the reference.
/// </summary>
internal sealed unsafe class TransposePlan
{
    public TransposePlan(DataType type, void* x, void* y, ReadOnlySpan<int> inShape, ReadOnlySpan<int> perm)
    {
        Type = type;
        X = x;
        Y = y;
        (IsBatched2D, Batch, Rows, Cols) = Reduce(inShape, perm);
    }

    public DataType Type { get; }

    public void* X { get; }

    public void* Y { get; }

    /// <summary>The permutation is a batch of 2-D transposes (a plain copy counts: Rows = 1).</summary>
    public bool IsBatched2D { get; }

    public int Batch { get; }

    /// <summary>Rows of each input matrix (each output matrix has Cols rows of Rows elements).</summary>
    public int Rows { get; }

    public int Cols { get; }

    /// <summary>Reduces (shape, perm) to the groups of input axes that move together; see the class summary.</summary>
    internal static (bool Batched2D, int Batch, int Rows, int Cols) Reduce(ReadOnlySpan<int> inShape, ReadOnlySpan<int> perm)
    {
        int r = inShape.Length;
        Span<int> renumber = stackalloc int[Math.Max(r, 1)];
        int kept = 0;
        for (int d = 0; d < r; d++)
        {
            renumber[d] = inShape[d] == 1 ? -1 : kept++;
        }

        // The output order of the kept input axes, renumbered 0..kept-1.
        Span<int> order = stackalloc int[Math.Max(kept, 1)];
        Span<int> dims = stackalloc int[Math.Max(kept, 1)];
        int m = 0;
        foreach (int p in perm)
        {
            if (renumber[p] >= 0)
            {
                dims[renumber[p]] = inShape[p];
                order[m++] = renumber[p];
            }
        }

        // Groups: maximal runs of the output order that are consecutive input axes. Each group's input axes are a range
        // [first, first + length) with extent the product of their dims.
        Span<int> groupFirst = stackalloc int[Math.Max(kept, 1)];
        Span<int> groupLength = stackalloc int[Math.Max(kept, 1)];
        int groups = 0;
        for (int k = 0; k < m; k++)
        {
            if (k > 0 && order[k] == order[k - 1] + 1)
            {
                groupLength[groups - 1]++;
            }
            else
            {
                groupFirst[groups] = order[k];
                groupLength[groups] = 1;
                groups++;
            }
        }


        switch (groups)
        {
            case 0:
                return (true, 1, 1, 1);
            case 1:
                return (true, 1, 1, Extent(dims, groupFirst[0], groupLength[0]));
            case 2 when groupFirst[0] > groupFirst[1]: // output [g1-of-input, g0-of-input]: [A, B] -> [B, A]
                return (true, 1, Extent(dims, groupFirst[1], groupLength[1]), Extent(dims, groupFirst[0], groupLength[0]));
            case 3 when groupFirst[0] == 0 && groupFirst[1] > groupFirst[2]: // [A, B, C] -> [A, C, B]
                return (true, Extent(dims, groupFirst[0], groupLength[0]), Extent(dims, groupFirst[2], groupLength[2]), Extent(dims, groupFirst[1], groupLength[1]));
            default:
                return (false, 0, 0, 0);
        }
    }

    /// <summary>The element count of a group: the product of input axes first..first+length-1.</summary>
    private static int Extent(ReadOnlySpan<int> dims, int first, int length)
    {
        long e = 1;
        foreach (int d in dims.Slice(first, length))
        {
            e *= d;
        }

        return checked((int)e);
    }
}
