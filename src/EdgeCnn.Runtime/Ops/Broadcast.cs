namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// numpy multidirectional broadcasting: shapes are right-aligned, each pair of dims must be equal or one of them 1, the
/// output takes the larger. Plus the layout the broadcast driver (Kernels/Reference/BroadcastKernels.cs) walks.
/// </summary>
internal static class Broadcast
{
    /// <summary>The broadcast shape of a and b, or null when they are incompatible.</summary>
    public static int[]? Shape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int da = DimFromRight(a, rank - 1 - d), db = DimFromRight(b, rank - 1 - d);
            if (da != db && da != 1 && db != 1)
            {
                return null;
            }

            shape[d] = Math.Max(da, db);
        }

        return shape;
    }

    /// <summary>
    /// Per-axis strides of a and b over the output (0 where an input broadcasts), with trivial axes dropped and axes merged
    /// wherever both inputs stay contiguous across them, so the driver's inner loop is as long as possible
    /// (e.g. [2,3,4] + [2,3,4] becomes one axis of 24; [2,3,4] + [4] becomes [6,4] with b strides [0,1]).
    /// </summary>
    public static BroadcastLayout Layout(int[] output, int[] a, int[] b)
    {
        int rank = output.Length;
        int[] fullA = Strides(a, rank), fullB = Strides(b, rank);
        var shape = new List<int>(rank);
        var strideA = new List<int>(rank);
        var strideB = new List<int>(rank);
        for (int d = rank - 1; d >= 0; d--)
        {
            int n = output[d];
            if (n == 1)
            {
                continue; // one index: contributes no offset
            }

            int sa = DimFromRight(a, rank - 1 - d) == 1 ? 0 : fullA[d];
            int sb = DimFromRight(b, rank - 1 - d) == 1 ? 0 : fullB[d];
            int last = shape.Count - 1;
            // Merge into the axis inside this one when stepping this axis equals running off the end of that one, for both.
            if (last >= 0 && sa == strideA[last] * shape[last] && sb == strideB[last] * shape[last])
            {
                shape[last] *= n;
                continue;
            }

            shape.Add(n);
            strideA.Add(sa);
            strideB.Add(sb);
        }

        if (shape.Count == 0)
        {
            return new BroadcastLayout([1], [0], [0]);
        }

        shape.Reverse();
        strideA.Reverse();
        strideB.Reverse();
        return new BroadcastLayout(shape.ToArray(), strideA.ToArray(), strideB.ToArray());
    }

    private static int DimFromRight(int[] shape, int fromRight) => fromRight < shape.Length ? shape[shape.Length - 1 - fromRight] : 1;

    /// <summary>Row-major element strides of a shape right-aligned into rank axes (leading missing axes get stride 0).</summary>
    private static int[] Strides(int[] shape, int rank)
    {
        var strides = new int[rank];
        int s = 1;
        for (int d = rank - 1; d >= 0 && rank - 1 - d < shape.Length; d--)
        {
            strides[d] = s;
            s = checked(s * shape[shape.Length - (rank - d)]);
        }

        return strides;
    }
}

/// <summary>The walk of one broadcast binary op: output axes after merging, and each input's element stride per axis.</summary>
internal sealed record BroadcastLayout(int[] Shape, int[] StrideA, int[] StrideB);
