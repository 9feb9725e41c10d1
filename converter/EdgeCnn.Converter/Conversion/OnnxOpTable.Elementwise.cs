using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Add, Sub, Mul, Div (numpy broadcasting): computed channels-last when every non-constant input already is, with
/// constants broadcast and permuted to match; otherwise in ONNX layout. Folded when both inputs are constants.
/// </summary>
internal static partial class OnnxOpTable
{
    static partial void AddElementwise(List<Entry> ops)
    {
        ops.Add(Binary("Add", OpCode.Add, (a, b) => a + b, (a, b) => a + b));
        ops.Add(Binary("Sub", OpCode.Sub, (a, b) => a - b, (a, b) => a - b));
        ops.Add(Binary("Mul", OpCode.Mul, (a, b) => a * b, (a, b) => a * b));
        ops.Add(Binary("Div", OpCode.Div, (a, b) => a / b, (a, b) => b == 0 ? throw new DivideByZeroException() : a / b));
        AddMinMax(ops); // OnnxOpTable.MinMax.cs
    }

    private static Entry Binary(string opType, OpCode op, Func<float, float, float> f, Func<long, long, long> fi) =>
        new(new(opType, 7, MaxOpset, $"{op} (numpy broadcasting)"), (ctx, node) =>
        {
            node.OnlyAttributes();
            EmitBinary(ctx, node, op);
        }, (ctx, node) =>
        {
            ConstTensor a = ctx.Const(node, node.RequiredInput(0)), b = ctx.Const(node, node.RequiredInput(1));
            return [ConstFolding.Broadcast(node, a, b, f, fi)];
        });

    internal static void EmitBinary(ConversionContext ctx, OnnxNode node, OpCode op)
    {
        string a = node.RequiredInput(0), b = node.RequiredInput(1);
        int rank = Math.Max(ctx.OnnxShape(node, a).Length, ctx.OnnxShape(node, b).Length);
        bool aConst = ctx.IsConst(a), bConst = ctx.IsConst(b);
        bool channelsLast = rank is >= 3 and <= 5
            && (aConst || (ctx.PrefersChannelsLast(a) && ctx.OnnxShape(node, a).Length == rank))
            && (bConst || (ctx.PrefersChannelsLast(b) && ctx.OnnxShape(node, b).Length == rank));
        TensorRef x = Operand(ctx, node, a, channelsLast, rank);
        TensorRef y = Operand(ctx, node, b, channelsLast, rank);
        ctx.SetSameLayoutAs(node.Outputs[0], ctx.Emit(op, [x, y], [], node.Outputs[0]), channelsLast);
    }

    /// <summary>An operand in the chosen layout; a constant is first broadcast-aligned to the rank (leading 1s).</summary>
    private static TensorRef Operand(ConversionContext ctx, OnnxNode node, string name, bool channelsLast, int rank)
    {
        if (!channelsLast)
        {
            return ctx.Onnx(node, name);
        }

        if (ctx.ConstOrNull(name) is not { } c)
        {
            return ctx.ChannelsLast(node, name);
        }

        int[] shape = c.ShapeAsInts();
        int[] full = [.. Enumerable.Repeat(1, rank - shape.Length), .. shape];
        int[] perm = Layout.ToChannelsLast(rank);
        return ctx.Weights(name + ".nhwc", Layout.PermuteData(c.AsFloats(), full, perm), Layout.Permute(full, perm));
    }
}
