using EdgeCnn.Converter.Onnx;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Ops that only ever run at conversion time here: constants and the shape arithmetic exporters emit
/// (x.view(x.size(0), -1) becomes Shape -> Gather -> Unsqueeze -> Concat -> Reshape).
/// </summary>
internal static partial class OnnxOpTable
{
    static partial void AddConstants(List<Entry> ops)
    {
        ops.Add(new Entry(new("Constant", 1, MaxOpset, "folded"), null, FoldConstant));
        ops.Add(new Entry(new("Shape", 1, MaxOpset, "folded (static shapes)"), null, FoldShape));
        ops.Add(new Entry(new("Gather", 1, MaxOpset, "folded (constant data)"), null, FoldGather));
        ops.Add(new Entry(new("Cast", 1, MaxOpset, "folded (constant input)"), null, FoldCast));
        ops.Add(new Entry(new("ConstantOfShape", 9, MaxOpset, "folded"), null, FoldConstantOfShape));
        ops.Add(new Entry(new("Slice", 1, MaxOpset, "Pad with negative pads (a crop; steps of 1), or folded"), ConvertSlice, FoldSlice));
    }

    private static ConstTensor[] FoldConstant(ConversionContext ctx, OnnxNode node)
    {
        if (node.Tensor("value") is { } t)
        {
            return [OnnxTensorReader.Read(t, $"{node.Describe()} value")];
        }

        if (node.HasAttribute("value_float"))
        {
            return [ConstTensor.FromFloats([node.Float("value_float", 0f)], [])];
        }

        if (node.Floats("value_floats") is { } fs)
        {
            return [ConstTensor.FromFloats(fs, [fs.Length])];
        }

        if (node.HasAttribute("value_int"))
        {
            return [ConstTensor.FromLongs([node.Int("value_int", 0)], [])];
        }

        if (node.Ints("value_ints") is { } ls)
        {
            return [ConstTensor.FromLongs(ls, [ls.Length])];
        }

        throw node.Unsupported("a Constant without value, value_float(s) or value_int(s) (strings and sparse values are not supported)");
    }

    private static ConstTensor[] FoldShape(ConversionContext ctx, OnnxNode node)
    {
        int[] shape = ctx.OnnxShape(node, node.RequiredInput(0));
        int r = shape.Length;
        int start = (int)node.Int("start", 0), end = (int)node.Int("end", r);
        start = Math.Clamp(start < 0 ? start + r : start, 0, r);
        end = Math.Clamp(end < 0 ? end + r : end, 0, r);
        long[] dims = shape.Skip(start).Take(Math.Max(0, end - start)).Select(d => (long)d).ToArray();
        return [ConstTensor.FromLongs(dims, [dims.Length])];
    }

    private static ConstTensor[] FoldGather(ConversionContext ctx, OnnxNode node)
    {
        ConstTensor data = ctx.Const(node, node.RequiredInput(0));
        ConstTensor indices = ctx.Const(node, node.RequiredInput(1));
        int r = data.Shape.Length;
        int axis = ConstFolding.Axis(node, node.Int("axis", 0), r);
        long[] ds = data.Shape;
        long outer = ConstTensor.ElementCount(ds[..axis]), inner = ConstTensor.ElementCount(ds[(axis + 1)..]), n = ds[axis];
        long[] idx = indices.AsLongs();
        long[] shape = [.. ds[..axis], .. indices.Shape, .. ds[(axis + 1)..]];
        int count = checked((int)ConstTensor.ElementCount(shape));
        var f = data.IsFloat ? new float[count] : null;
        var l = data.IsFloat ? null : new long[count];
        int o = 0;
        for (long a = 0; a < outer; a++)
        {
            foreach (long raw in idx)
            {
                long i = raw < 0 ? raw + n : raw;
                if (i < 0 || i >= n)
                {
                    throw node.Malformed($"index {raw} is out of range for axis {axis} of size {n}");
                }

                for (long e = 0; e < inner; e++, o++)
                {
                    long src = (((a * n) + i) * inner) + e;
                    if (f is not null)
                    {
                        f[o] = data.Floats![src];
                    }
                    else
                    {
                        l![o] = data.Longs![src];
                    }
                }
            }
        }

        return [f is not null ? ConstTensor.FromFloats(f, shape) : ConstTensor.FromLongs(l!, shape, data.Type)];
    }

    private static ConstTensor[] FoldCast(ConversionContext ctx, OnnxNode node) =>
        [ConstFolding.WithType(ctx.Const(node, node.RequiredInput(0)), (OnnxDataType)node.Int("to", (long)OnnxDataType.Float))];

    private static ConstTensor[] FoldConstantOfShape(ConversionContext ctx, OnnxNode node)
    {
        long[] shape = ctx.Const(node, node.RequiredInput(0)).AsLongs();
        int count = checked((int)ConstTensor.ElementCount(shape));
        ConstTensor value = node.Tensor("value") is { } t ? OnnxTensorReader.Read(t, $"{node.Describe()} value") : ConstTensor.FromFloats([0f], [1]);
        return [value.IsFloat
            ? ConstTensor.FromFloats(Enumerable.Repeat(value.Floats![0], count).ToArray(), shape)
            : ConstTensor.FromLongs(Enumerable.Repeat(value.Longs![0], count).ToArray(), shape, value.Type)];
    }

    /// <summary>A Slice with steps of 1 keeps a box of the input: runtime Pad with negative pads, in ONNX layout.</summary>
    private static void ConvertSlice(ConversionContext ctx, OnnxNode node)
    {
        int[] shape = ctx.OnnxShape(node, node.RequiredInput(0));
        (long[] starts, long[] ends, long[] axes, long[] steps) = SliceParameters(ctx, node);
        int r = shape.Length;
        var pads = new int[2 * r];
        for (int k = 0; k < axes.Length; k++)
        {
            int a = ConstFolding.Axis(node, axes[k], r);
            if (steps[k] != 1)
            {
                throw node.Unsupported($"a step of {steps[k]} on a computed tensor; steps of 1 are supported (steps only fold on constants)");
            }

            long dim = shape[a];
            long b = Math.Clamp(starts[k] < 0 ? starts[k] + dim : starts[k], 0, dim);
            long e = Math.Clamp(ends[k] < 0 ? ends[k] + dim : ends[k], 0, dim);
            if (e <= b)
            {
                throw node.Unsupported($"an empty slice of axis {a}; EdgeCnn tensors have no empty dimensions");
            }

            pads[a] = (int)-b;
            pads[r + a] = (int)-(dim - e);
        }

        var attributes = new[] { NodeAttribute.IntList(AttributeKey.Pads, pads) };
        ctx.SetOnnx(node.Outputs[0], ctx.Emit(OpCode.Pad, [ctx.Onnx(node, node.RequiredInput(0))], attributes, node.Outputs[0]));
    }

    private static (long[] Starts, long[] Ends, long[] Axes, long[] Steps) SliceParameters(ConversionContext ctx, OnnxNode node)
    {
        long[] starts, ends, axes, steps;
        if (node.Opset < 10)
        {
            starts = node.Ints("starts") ?? throw node.Malformed("starts is required");
            ends = node.Ints("ends") ?? throw node.Malformed("ends is required");
            axes = node.Ints("axes") ?? Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            steps = Enumerable.Repeat(1L, starts.Length).ToArray();
        }
        else
        {
            starts = ctx.Const(node, node.RequiredInput(1)).AsLongs();
            ends = ctx.Const(node, node.RequiredInput(2)).AsLongs();
            axes = node.Input(3) is { } ax ? ctx.Const(node, ax).AsLongs() : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            steps = node.Input(4) is { } st ? ctx.Const(node, st).AsLongs() : Enumerable.Repeat(1L, starts.Length).ToArray();
        }

        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            throw node.Malformed("starts, ends, axes and steps differ in length");
        }

        return (starts, ends, axes, steps);
    }

    private static ConstTensor[] FoldSlice(ConversionContext ctx, OnnxNode node)
    {
        ConstTensor data = ctx.Const(node, node.RequiredInput(0));
        int r = data.Shape.Length;
        (long[] starts, long[] ends, long[] axes, long[] steps) = SliceParameters(ctx, node);
        var begin = new long[r];
        var step = Enumerable.Repeat(1L, r).ToArray();
        long[] outShape = (long[])data.Shape.Clone();
        for (int k = 0; k < axes.Length; k++)
        {
            int a = ConstFolding.Axis(node, axes[k], r);
            long dim = data.Shape[a], s = steps[k];
            if (s == 0)
            {
                throw node.Malformed("a slice step of 0");
            }

            // ONNX clamping: starts/ends are clamped to [0, dim] (step > 0) or [-1, dim - 1] (step < 0).
            long b = starts[k] < 0 ? starts[k] + dim : starts[k], e = ends[k] < 0 ? ends[k] + dim : ends[k];
            (b, e) = s > 0 ? (Math.Clamp(b, 0, dim), Math.Clamp(e, 0, dim)) : (Math.Clamp(b, -1, dim - 1), Math.Clamp(e, -1, dim - 1));
            begin[a] = b;
            step[a] = s;
            outShape[a] = Math.Max(0, s > 0 ? (e - b + s - 1) / s : (b - e - s - 1) / -s);
        }

        int count = checked((int)ConstTensor.ElementCount(outShape));
        long[] strides = new long[r];
        long acc = 1;
        for (int d = r - 1; d >= 0; d--)
        {
            strides[d] = acc;
            acc *= data.Shape[d];
        }

        var f = data.IsFloat ? new float[count] : null;
        var l = data.IsFloat ? null : new long[count];
        var index = new long[r];
        for (int o = 0; o < count; o++)
        {
            long src = 0;
            for (int d = 0; d < r; d++)
            {
                src += (begin[d] + (index[d] * step[d])) * strides[d];
            }

            if (f is not null)
            {
                f[o] = data.Floats![src];
            }
            else
            {
                l![o] = data.Longs![src];
            }

            for (int d = r - 1; d >= 0; d--)
            {
                if (++index[d] < outShape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return [f is not null ? ConstTensor.FromFloats(f, outShape) : ConstTensor.FromLongs(l!, outShape, data.Type)];
    }
}
