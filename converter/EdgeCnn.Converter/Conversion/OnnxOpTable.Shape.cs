using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Shape and data-movement ops. Views (Flatten, Reshape, Squeeze, Unsqueeze) run in ONNX layout, since their meaning is
/// row-major order in ONNX's axes; Identity and Dropout pass the value through in whatever layout it has; Transpose and
/// Concat stay channels-last when their inputs are. Each also folds on constants (exporters build shape tensors with
/// Reshape/Concat/Unsqueeze chains). Pad, Resize and Upsample are in OnnxOpTable.PadResize.cs.
/// </summary>
internal static partial class OnnxOpTable
{
    static partial void AddShape(List<Entry> ops)
    {
        ops.Add(new Entry(new OnnxOpSupport("Identity", MinOpset, MaxOpset, "nothing (the input passes through)"),
            ConvertIdentity, (ctx, node) => [ctx.Const(node, node.RequiredInput(0))]));
        ops.Add(new Entry(new OnnxOpSupport("Dropout", MinOpset, MaxOpset, "nothing (identity at inference)"),
            ConvertDropout, FoldDropout));
        ops.Add(new Entry(new OnnxOpSupport("Flatten", MinOpset, MaxOpset, "Flatten (a view)"), ConvertFlatten, FoldFlatten));
        ops.Add(new Entry(new OnnxOpSupport("Reshape", MinOpset, MaxOpset, "Reshape (a view)"), ConvertReshape, FoldReshape));
        ops.Add(new Entry(new OnnxOpSupport("Squeeze", MinOpset, MaxOpset, "Squeeze (a view)"), ConvertSqueeze, FoldSqueeze));
        ops.Add(new Entry(new OnnxOpSupport("Unsqueeze", MinOpset, MaxOpset, "Unsqueeze (a view)"), ConvertUnsqueeze, FoldUnsqueeze));
        ops.Add(new Entry(new OnnxOpSupport("Transpose", MinOpset, MaxOpset, "Transpose (merged with the layout change when channels-last)"),
            ConvertTranspose, FoldTranspose));
        ops.Add(new Entry(new OnnxOpSupport("Concat", MinOpset, MaxOpset, "Concat (channels-last when every input is)"),
            ConvertConcat, FoldConcat));
        AddPadResize(ops);
        ops.Add(SplitEntry());
    }

    private static void ConvertIdentity(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes();
        PassThrough(ctx, node, node.RequiredInput(0));
    }

    /// <summary>The output is the input's runtime tensor, in the layout(s) the input has.</summary>
    private static void PassThrough(ConversionContext ctx, OnnxNode node, string input)
    {
        string output = node.Outputs[0];
        if (ctx.PrefersChannelsLast(input))
        {
            ctx.SetChannelsLast(output, ctx.ChannelsLast(node, input));
            return;
        }

        TensorRef x = ctx.Onnx(node, input);
        if (ctx.Builder.Definition.Inputs.Contains(x.Index))
        {
            // A graph input cannot also be a graph output: a Dropout view gives the value its own tensor, at no cost.
            x = ctx.Emit(OpCode.Dropout, [x], [], node.Name);
        }

        ctx.SetOnnx(output, x);
    }

    private static string DropoutInput(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes(node.Opset < 12 ? ["ratio"] : ["seed"]);
        if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0)
        {
            throw node.Unsupported("the 'mask' output is not supported; only the data output (identity at inference)");
        }

        if (node.Opset >= 12 && node.Input(2) is { } training
            && (ctx.ConstOrNull(training) ?? throw node.Unsupported("input 'training_mode' must be a constant false")).AsLongs().Any(v => v != 0))
        {
            throw node.Unsupported("training_mode = true is not supported; EdgeCnn converts the inference form");
        }

        return node.RequiredInput(0);
    }

    private static void ConvertDropout(ConversionContext ctx, OnnxNode node) => PassThrough(ctx, node, DropoutInput(ctx, node));

    private static ConstTensor[] FoldDropout(ConversionContext ctx, OnnxNode node) => [ctx.Const(node, DropoutInput(ctx, node))];

    private static int FlattenAxis(OnnxNode node, int rank)
    {
        node.OnlyAttributes("axis");
        return ShapeOpMath.Axis(node, node.Int("axis", 1), rank, "axis", inclusiveEnd: true);
    }

    private static void ConvertFlatten(ConversionContext ctx, OnnxNode node)
    {
        string input = node.RequiredInput(0);
        int axis = FlattenAxis(node, ctx.OnnxShape(node, input).Length);
        ctx.SetOnnx(node.Outputs[0], ctx.Emit(OpCode.Flatten, [ctx.Onnx(node, input)], [NodeAttribute.Int(AttributeKey.Axis, axis)], node.Name));
    }

    private static ConstTensor[] FoldFlatten(ConversionContext ctx, OnnxNode node)
    {
        ConstTensor x = ctx.Const(node, node.RequiredInput(0));
        return [ShapeOpMath.WithShape(x, ShapeOpMath.Flatten(x.Shape, FlattenAxis(node, x.Shape.Length)))];
    }

    private static long[] ReshapeOutputShape(ConversionContext ctx, OnnxNode node, long[] inputShape)
    {
        long[] requested;
        if (node.Opset < 5)
        {
            node.OnlyAttributes("shape");
            requested = node.Ints("shape") ?? throw node.Malformed("attribute 'shape' is required");
        }
        else
        {
            node.OnlyAttributes(node.Opset >= 14 ? ["allowzero"] : []);
            requested = ctx.Const(node, node.RequiredInput(1)).AsLongs();
            if (node.Int("allowzero", 0) != 0 && requested.Contains(0))
            {
                throw node.Unsupported("allowzero = 1 with a 0 in the shape (an empty tensor) is not supported");
            }
        }

        return ShapeOpMath.ReshapeTarget(node, inputShape, requested);
    }

    private static void ConvertReshape(ConversionContext ctx, OnnxNode node)
    {
        string input = node.RequiredInput(0);
        int[] inShape = ctx.OnnxShape(node, input);
        long[] shape = ReshapeOutputShape(ctx, node, Array.ConvertAll(inShape, d => (long)d));
        ctx.SetOnnx(node.Outputs[0], ctx.Emit(OpCode.Reshape, [ctx.Onnx(node, input)],
            [NodeAttribute.IntList(AttributeKey.Shape, Array.ConvertAll(shape, d => checked((int)d)))], node.Name));
    }

    private static ConstTensor[] FoldReshape(ConversionContext ctx, OnnxNode node)
    {
        ConstTensor x = ctx.Const(node, node.RequiredInput(0));
        return [ShapeOpMath.WithShape(x, ReshapeOutputShape(ctx, node, x.Shape))];
    }

    /// <summary>Squeeze and Unsqueeze axes: an attribute before opset 13, a constant input from 13.</summary>
    private static long[]? SqueezeAxesInput(ConversionContext ctx, OnnxNode node)
    {
        if (node.Opset < 13)
        {
            node.OnlyAttributes("axes");
            return node.Ints("axes");
        }

        node.OnlyAttributes();
        return node.Input(1) is { } axes ? ctx.Const(node, axes).AsLongs() : null;
    }

    private static void ConvertSqueeze(ConversionContext ctx, OnnxNode node)
    {
        string input = node.RequiredInput(0);
        long[] shape = Array.ConvertAll(ctx.OnnxShape(node, input), d => (long)d);
        int[] axes = ShapeOpMath.SqueezeAxes(node, shape, SqueezeAxesInput(ctx, node));
        NodeAttribute[] attributes = axes.Length > 0 ? [NodeAttribute.IntList(AttributeKey.Axes, axes)] : [];
        ctx.SetOnnx(node.Outputs[0], ctx.Emit(OpCode.Squeeze, [ctx.Onnx(node, input)], attributes, node.Name));
    }

    private static ConstTensor[] FoldSqueeze(ConversionContext ctx, OnnxNode node)
    {
        ConstTensor x = ctx.Const(node, node.RequiredInput(0));
        int[] axes = ShapeOpMath.SqueezeAxes(node, x.Shape, SqueezeAxesInput(ctx, node));
        return [ShapeOpMath.WithShape(x, ShapeOpMath.Squeeze(x.Shape, axes))];
    }

    private static int[] UnsqueezeAxes(ConversionContext ctx, OnnxNode node, int rank) =>
        ShapeOpMath.UnsqueezeAxes(node, rank, SqueezeAxesInput(ctx, node) ?? throw node.Malformed("axes are required"));

    private static void ConvertUnsqueeze(ConversionContext ctx, OnnxNode node)
    {
        string input = node.RequiredInput(0);
        int[] axes = UnsqueezeAxes(ctx, node, ctx.OnnxShape(node, input).Length);
        ctx.SetOnnx(node.Outputs[0], ctx.Emit(OpCode.Unsqueeze, [ctx.Onnx(node, input)], [NodeAttribute.IntList(AttributeKey.Axes, axes)], node.Name));
    }

    private static ConstTensor[] FoldUnsqueeze(ConversionContext ctx, OnnxNode node)
    {
        ConstTensor x = ctx.Const(node, node.RequiredInput(0));
        return [ShapeOpMath.WithShape(x, ShapeOpMath.Unsqueeze(x.Shape, UnsqueezeAxes(ctx, node, x.Shape.Length)))];
    }

    private static int[] TransposePerm(OnnxNode node, int rank)
    {
        node.OnlyAttributes("perm");
        return ShapeOpMath.Perm(node, node.Ints("perm"), rank);
    }

    private static void ConvertTranspose(ConversionContext ctx, OnnxNode node)
    {
        string input = node.RequiredInput(0);
        int rank = ctx.OnnxShape(node, input).Length;
        int[] perm = TransposePerm(node, rank);
        TensorRef x;
        if (ctx.PrefersChannelsLast(input))
        {
            // ONNX axis a of the input is channels-last axis toOnnx[a]: one transpose does both moves.
            int[] toOnnx = Layout.ToOnnx(rank);
            perm = Array.ConvertAll(perm, p => toOnnx[p]);
            x = ctx.ChannelsLast(node, input);
        }
        else
        {
            x = ctx.Onnx(node, input);
        }

        ctx.SetOnnx(node.Outputs[0], ctx.Emit(OpCode.Transpose, [x], [NodeAttribute.IntList(AttributeKey.Perm, perm)], node.Name));
    }

    private static ConstTensor[] FoldTranspose(ConversionContext ctx, OnnxNode node)
    {
        ConstTensor x = ctx.Const(node, node.RequiredInput(0));
        return [ShapeOpMath.Transpose(x, TransposePerm(node, x.Shape.Length))];
    }

    private static (string[] Inputs, int Axis) ConcatOperands(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes("axis");
        string[] inputs = Enumerable.Range(0, node.Inputs.Count).Select(node.Input).OfType<string>().ToArray();
        if (inputs.Length == 0)
        {
            throw node.Malformed("Concat needs at least one input");
        }

        if (!node.HasAttribute("axis"))
        {
            throw node.Malformed("attribute 'axis' is required");
        }

        int rank = ctx.OnnxShape(node, inputs[0]).Length;
        return (inputs, ShapeOpMath.Axis(node, node.Int("axis", 0), rank, "axis"));
    }

    private static void ConvertConcat(ConversionContext ctx, OnnxNode node)
    {
        (string[] inputs, int axis) = ConcatOperands(ctx, node);
        int rank = ctx.OnnxShape(node, inputs[0]).Length;
        bool channelsLast = rank is >= 3 and <= 5 && inputs.All(ctx.PrefersChannelsLast);
        TensorRef?[] xs = inputs.Select(i => (TensorRef?)(channelsLast ? ctx.ChannelsLast(node, i) : ctx.Onnx(node, i))).ToArray();
        int runtimeAxis = channelsLast ? Layout.AxisToChannelsLast(axis, rank) : axis;
        TensorRef y = ctx.Emit(OpCode.Concat, xs, [NodeAttribute.Int(AttributeKey.Axis, runtimeAxis)], node.Name);
        ctx.SetSameLayoutAs(node.Outputs[0], y, channelsLast);
    }

    private static ConstTensor[] FoldConcat(ConversionContext ctx, OnnxNode node)
    {
        (string[] inputs, int axis) = ConcatOperands(ctx, node);
        ConstTensor[] values = inputs.Select(i => ctx.Const(node, i)).ToArray();
        foreach (ConstTensor v in values)
        {
            if (v.Shape.Length != values[0].Shape.Length || Enumerable.Range(0, v.Shape.Length).Any(d => d != axis && v.Shape[d] != values[0].Shape[d]))
            {
                throw node.Malformed($"input shapes [{string.Join(',', values[0].Shape)}] and [{string.Join(',', v.Shape)}] differ off axis {axis}");
            }
        }

        return [ShapeOpMath.Concat(values, axis)];
    }
}
