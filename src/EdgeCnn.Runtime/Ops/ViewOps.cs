using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Flatten, Reshape, Squeeze, Unsqueeze, Dropout: the output is the input's bytes under another shape (row-major order is
/// unchanged), so the planner shares the input's buffer and no kernel ever runs. int8 keeps the input's quantization.
/// </summary>
internal sealed class ViewOperator : Operator
{
    private readonly Func<InferContext, int[], int[]> _shape;

    /// <param name="shape">Output shape from the node and the input shape; throws ctx.Fail for invalid attributes.</param>
    public ViewOperator(OpCode code, AttributeKey[] attributes, Func<InferContext, int[], int[]> shape)
    {
        Code = code;
        Attributes = attributes;
        _shape = shape;
    }

    public override OpCode Code { get; }

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override OutputAliasing Aliasing => OutputAliasing.View;

    public override IReadOnlyList<AttributeKey> Attributes { get; }

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ShapeRules.RequireData(ctx, 0);
        ShapeRules.RequireSameQuantization(ctx, x);
        int[] shape = _shape(ctx, x.Shape);
        if (ShapeMath.ElementCount(shape) != x.ElementCount)
        {
            throw ctx.Fail($"output shape {ShapeMath.Format(shape)} has {ShapeMath.ElementCount(shape)} elements; " +
                $"the input {ShapeMath.Format(x.Shape)} has {x.ElementCount}");
        }

        ctx.SetOutput(0, x.Type, shape);
    }

    public override Kernel CreateKernel(PlanContext ctx) =>
        throw new InvalidOperationException($"{Code} is a view: the planner shares its input's bytes and never creates a kernel");

    /// <summary>ONNX Flatten: [d0 * .. * d(a-1), da * .. * d(r-1)]; axis in -r..r (0 gives [1, all]).</summary>
    public static int[] Flatten(InferContext ctx, int[] s)
    {
        int axis = ctx.Int(AttributeKey.Axis, 1);
        int a = axis < 0 ? axis + s.Length : axis;
        if (a < 0 || a > s.Length)
        {
            throw ctx.Fail($"flatten axis {axis} is out of range for rank {s.Length} (allowed {-s.Length}..{s.Length})");
        }

        return [checked((int)ShapeMath.ElementCount(s.AsSpan(0, a))), checked((int)ShapeMath.ElementCount(s.AsSpan(a)))];
    }

    /// <summary>ONNX Reshape (allowzero = 0): 0 copies the input dim at that position, one -1 is inferred.</summary>
    public static int[] Reshape(InferContext ctx, int[] s)
    {
        int[] target = ctx.Ints(AttributeKey.Shape, null) ?? throw ctx.Fail("attribute Shape is required");
        var shape = new int[target.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            int d = target[i];
            if (d == -1)
            {
                if (inferred >= 0)
                {
                    throw ctx.Fail($"shape {ShapeMath.Format(target)} has more than one -1");
                }

                inferred = i;
                continue;
            }

            if (d == 0)
            {
                if (i >= s.Length)
                {
                    throw ctx.Fail($"shape {ShapeMath.Format(target)}: 0 at position {i} copies an input dim, but the input has rank {s.Length}");
                }

                d = s[i];
            }
            else if (d < 0)
            {
                throw ctx.Fail($"shape {ShapeMath.Format(target)}: dim {d} is invalid (>= 1, 0 to copy, -1 to infer)");
            }

            shape[i] = d;
            known = checked(known * d);
        }

        if (inferred >= 0)
        {
            long total = ShapeMath.ElementCount(s);
            if (total % known != 0)
            {
                throw ctx.Fail($"shape {ShapeMath.Format(target)}: {total} elements do not divide into the known dims ({known})");
            }

            shape[inferred] = checked((int)(total / known));
        }

        return shape;
    }

    /// <summary>ONNX Squeeze: removes the listed axes (each must be 1), or every dim of size 1 when Axes is absent.</summary>
    public static int[] Squeeze(InferContext ctx, int[] s)
    {
        int[]? axes = ctx.Ints(AttributeKey.Axes, null);
        var remove = new bool[s.Length];
        if (axes is null)
        {
            for (int i = 0; i < s.Length; i++)
            {
                remove[i] = s[i] == 1;
            }
        }
        else
        {
            foreach (int axis in axes)
            {
                int a = ShapeRules.Axis(ctx, axis, s.Length, "squeeze axis");
                if (remove[a])
                {
                    throw ctx.Fail($"squeeze axis {axis} is listed twice");
                }

                if (s[a] != 1)
                {
                    throw ctx.Fail($"squeeze axis {axis} has size {s[a]}; only size-1 axes can be removed");
                }

                remove[a] = true;
            }
        }

        var shape = new List<int>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (!remove[i])
            {
                shape.Add(s[i]);
            }
        }

        return shape.ToArray();
    }

    /// <summary>ONNX Unsqueeze: inserts size-1 dims at the listed positions of the output (rank r + count).</summary>
    public static int[] Unsqueeze(InferContext ctx, int[] s)
    {
        int[] axes = ctx.Ints(AttributeKey.Axes, null) ?? throw ctx.Fail("attribute Axes is required");
        int rank = s.Length + axes.Length;
        var inserted = new bool[rank];
        foreach (int axis in axes)
        {
            int a = ShapeRules.Axis(ctx, axis, rank, "unsqueeze axis");
            if (inserted[a])
            {
                throw ctx.Fail($"unsqueeze axis {axis} is listed twice");
            }

            inserted[a] = true;
        }

        var shape = new int[rank];
        int next = 0;
        for (int i = 0; i < rank; i++)
        {
            shape[i] = inserted[i] ? 1 : s[next++];
        }

        return shape;
    }
}
