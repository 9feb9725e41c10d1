namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Shape arithmetic of the ONNX shape ops (axis normalization, Reshape's 0 and -1, Squeeze/Unsqueeze axes) and their
/// constant evaluation on ConstTensor, shared by conversion and folding so both agree on every shape.
/// </summary>
internal static class ShapeOpMath
{
    /// <summary>An axis in [-rank, rank - 1] (or [-rank, rank] when <paramref name="inclusiveEnd"/>) made non-negative.</summary>
    public static int Axis(OnnxNode node, long axis, int rank, string what, bool inclusiveEnd = false)
    {
        int hi = inclusiveEnd ? rank : rank - 1;
        if (axis < -rank || axis > hi)
        {
            throw node.Malformed($"{what} {axis} is out of range for rank {rank} ([{-rank}, {hi}])");
        }

        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>Flatten's output: [prod(d &lt; axis), prod(d &gt;= axis)].</summary>
    public static long[] Flatten(long[] shape, int axis)
    {
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (i < axis)
            {
                outer = checked(outer * shape[i]);
            }
            else
            {
                inner = checked(inner * shape[i]);
            }
        }

        return [outer, inner];
    }

    /// <summary>Reshape's target with allowzero = 0: 0 copies the input dim at that position, one -1 is inferred.</summary>
    public static long[] ReshapeTarget(OnnxNode node, long[] input, long[] requested)
    {
        var result = new long[requested.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < requested.Length; i++)
        {
            long d = requested[i];
            if (d == 0)
            {
                d = i < input.Length ? input[i] : throw node.Malformed($"shape[{i}] = 0 copies input dim {i}, but the input has rank {input.Length}");
            }
            else if (d == -1)
            {
                if (inferred >= 0)
                {
                    throw node.Malformed("shape has more than one -1");
                }

                inferred = i;
                continue;
            }
            else if (d < 0)
            {
                throw node.Malformed($"shape[{i}] = {d}; dims are >= -1");
            }

            result[i] = d;
            known = checked(known * d);
        }

        long count = ConstTensor.ElementCount(input);
        if (inferred >= 0)
        {
            if (known == 0 || count % known != 0)
            {
                throw node.Malformed($"cannot infer the -1 in shape [{string.Join(',', requested)}] from {count} elements");
            }

            result[inferred] = count / known;
        }
        else if (known != count)
        {
            throw node.Malformed($"shape [{string.Join(',', requested)}] holds {known} elements; the input has {count}");
        }

        return result;
    }

    /// <summary>The sorted, non-negative axes Squeeze removes (every size-1 axis when none are given).</summary>
    public static int[] SqueezeAxes(OnnxNode node, long[] shape, long[]? axes)
    {
        if (axes is null)
        {
            return Enumerable.Range(0, shape.Length).Where(i => shape[i] == 1).ToArray();
        }

        int[] result = axes.Select(a => Axis(node, a, shape.Length, "axis")).Distinct().Order().ToArray();
        if (result.Length != axes.Length)
        {
            throw node.Malformed("axes repeat an axis");
        }

        foreach (int a in result)
        {
            if (shape[a] != 1)
            {
                throw node.Malformed($"axis {a} has size {shape[a]}; Squeeze removes size-1 axes only");
            }
        }

        return result;
    }

    public static long[] Squeeze(long[] shape, int[] axes) => shape.Where((_, i) => Array.IndexOf(axes, i) < 0).ToArray();

    /// <summary>The sorted, non-negative output positions Unsqueeze inserts.</summary>
    public static int[] UnsqueezeAxes(OnnxNode node, int inputRank, long[] axes)
    {
        int outRank = inputRank + axes.Length;
        int[] result = axes.Select(a => Axis(node, a, outRank, "axis")).Distinct().Order().ToArray();
        if (result.Length != axes.Length)
        {
            throw node.Malformed("axes repeat an axis");
        }

        return result;
    }

    public static long[] Unsqueeze(long[] shape, int[] axes)
    {
        var result = new long[shape.Length + axes.Length];
        int src = 0;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Array.IndexOf(axes, i) >= 0 ? 1 : shape[src++];
        }

        return result;
    }

    /// <summary>A permutation of 0..rank-1 (default: reversed axes), checked.</summary>
    public static int[] Perm(OnnxNode node, long[]? perm, int rank)
    {
        if (perm is null)
        {
            return Enumerable.Range(0, rank).Reverse().ToArray();
        }

        if (perm.Length != rank || perm.Any(p => p < 0 || p >= rank) || perm.Distinct().Count() != rank)
        {
            throw node.Malformed($"perm [{string.Join(',', perm)}] is not a permutation of the {rank} axes");
        }

        return Array.ConvertAll(perm, p => (int)p);
    }

    /// <summary>The same values under a new shape (same element type).</summary>
    public static ConstTensor WithShape(ConstTensor c, long[] shape) =>
        c.Floats is { } f ? ConstTensor.FromFloats(f, shape) : ConstTensor.FromLongs(c.Longs!, shape, c.Type);

    public static ConstTensor Transpose(ConstTensor c, int[] perm)
    {
        int[] shape = c.ShapeAsInts();
        long[] outShape = perm.Select(p => c.Shape[p]).ToArray();
        return c.Floats is { } f
            ? ConstTensor.FromFloats(Layout.PermuteData(f, shape, perm), outShape)
            : ConstTensor.FromLongs(PermuteLongs(c.Longs!, shape, perm), outShape, c.Type);
    }

    /// <summary>Concatenation along axis; the result is float when any input is.</summary>
    public static ConstTensor Concat(ConstTensor[] inputs, int axis)
    {
        long[] shape = (long[])inputs[0].Shape.Clone();
        shape[axis] = inputs.Sum(t => t.Shape[axis]);
        long outer = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= shape[i];
        }

        bool asFloat = inputs.Any(t => t.IsFloat);
        int total = (int)ConstTensor.ElementCount(shape);
        var floats = asFloat ? new float[total] : null;
        var longs = asFloat ? null : new long[total];
        float[][]? sources = asFloat ? inputs.Select(t => t.AsFloats()).ToArray() : null;
        int dst = 0;
        for (long o = 0; o < outer; o++)
        {
            for (int k = 0; k < inputs.Length; k++)
            {
                int block = (int)(inputs[k].Count / outer);
                int src = (int)(o * block);
                if (sources is not null)
                {
                    sources[k].AsSpan(src, block).CopyTo(floats.AsSpan(dst));
                }
                else
                {
                    inputs[k].Longs.AsSpan(src, block).CopyTo(longs.AsSpan(dst));
                }

                dst += block;
            }
        }

        return asFloat ? ConstTensor.FromFloats(floats!, shape) : ConstTensor.FromLongs(longs!, shape, inputs[0].Type);
    }

    private static long[] PermuteLongs(long[] data, int[] shape, int[] perm)
    {
        // Permute the element indices as floats would lose precision: move an index array instead.
        var index = new float[data.Length];
        for (int i = 0; i < index.Length; i++)
        {
            index[i] = i;
        }

        float[] moved = data.Length < (1 << 24)
            ? Layout.PermuteData(index, shape, perm)
            : throw new OverflowException("constant too large to transpose at conversion time");
        return Array.ConvertAll(moved, i => data[(int)i]);
    }
}
