using EdgeCnn.Converter.Onnx;

namespace EdgeCnn.Converter.Conversion;

/// <summary>Arithmetic on ConstTensors, for folding what exporters compute at run time but is known at conversion time.</summary>
internal static class ConstFolding
{
    /// <summary>Element-wise a op b with numpy broadcasting; float if either is float, else integer.</summary>
    public static ConstTensor Broadcast(OnnxNode node, ConstTensor a, ConstTensor b, Func<float, float, float> f, Func<long, long, long> fi)
    {
        long[] shape = BroadcastShape(node, a.Shape, b.Shape);
        int n = checked((int)ConstTensor.ElementCount(shape));
        int[] ia = Indexer(a.Shape, shape), ib = Indexer(b.Shape, shape);
        var index = new long[shape.Length];
        bool isFloat = a.IsFloat || b.IsFloat;
        float[]? af = isFloat ? a.AsFloats() : null, bf = isFloat ? b.AsFloats() : null;
        long[]? al = isFloat ? null : a.Longs, bl = isFloat ? null : b.Longs;
        var fout = isFloat ? new float[n] : null;
        var lout = isFloat ? null : new long[n];
        for (int o = 0; o < n; o++)
        {
            int pa = 0, pb = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                pa += (int)index[d] * ia[d];
                pb += (int)index[d] * ib[d];
            }

            if (isFloat)
            {
                fout![o] = f(af![pa], bf![pb]);
            }
            else
            {
                lout![o] = fi(al![pa], bl![pb]);
            }

            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return isFloat ? ConstTensor.FromFloats(fout!, shape) : ConstTensor.FromLongs(lout!, shape, a.Type);
    }

    public static long[] BroadcastShape(OnnxNode node, long[] a, long[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var shape = new long[r];
        for (int i = 0; i < r; i++)
        {
            long da = i < r - a.Length ? 1 : a[i - (r - a.Length)];
            long db = i < r - b.Length ? 1 : b[i - (r - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw node.Malformed($"shapes [{string.Join(',', a)}] and [{string.Join(',', b)}] do not broadcast");
            }

            shape[i] = da == 1 ? db : da;
        }

        return shape;
    }

    /// <summary>Row-major strides of a (right-aligned in the output rank), 0 on broadcast axes.</summary>
    private static int[] Indexer(long[] shape, long[] outShape)
    {
        int r = outShape.Length, offset = r - shape.Length;
        var strides = new int[r];
        int s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d + offset] = shape[d] == 1 ? 0 : s;
            s *= (int)shape[d];
        }

        return strides;
    }

    /// <summary>Normalizes an ONNX axis (negative counts from the end).</summary>
    public static int Axis(OnnxNode node, long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        return a >= 0 && a < rank ? (int)a : throw node.Malformed($"axis {axis} is outside rank {rank}");
    }

    public static ConstTensor WithType(ConstTensor c, OnnxDataType type) => type switch
    {
        OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16 => ConstTensor.FromFloats(c.AsFloats(), c.Shape),
        OnnxDataType.Bool => ConstTensor.FromLongs(Array.ConvertAll(c.AsFloats(), v => v != 0 ? 1L : 0L), c.Shape, type),
        _ => ConstTensor.FromLongs(c.IsFloat ? Array.ConvertAll(c.Floats!, v => (long)MathF.Truncate(v)) : c.Longs!, c.Shape, type),
    };
}
