using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Max / Min of an activation and a constant that varies at most along the channel axis (axis 1; a scalar counts): a
/// per-channel clamp, ChannelClip with the other side infinite. This is how --emit-qdq writes a ChannelClip (Max then Min
/// on the int8 grid), so a QDQ model reads back to the same int8 model; the graph pass merges the Max and the Min. Folded
/// when both inputs are constants.
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddMinMax(List<Entry> ops)
    {
        ops.Add(MinMax("Max", lower: true, MathF.Max, Math.Max));
        ops.Add(MinMax("Min", lower: false, MathF.Min, Math.Min));
    }

    private static Entry MinMax(string opType, bool lower, Func<float, float, float> f, Func<long, long, long> fi) =>
        new(new(opType, 8, MaxOpset, "ChannelClip (two inputs: an activation and a per-channel or scalar constant)"), (ctx, node) =>
        {
            node.OnlyAttributes();
            if (node.Inputs.Count != 2)
            {
                throw node.Unsupported($"{node.Inputs.Count} inputs; only two (an activation and a constant) are supported");
            }

            string a = node.RequiredInput(0), b = node.RequiredInput(1);
            (string x, string bound) = ctx.IsConst(b) && !ctx.IsConst(a) ? (a, b) : ctx.IsConst(a) && !ctx.IsConst(b) ? (b, a)
                : throw node.Unsupported("needs exactly one constant input (a per-channel clamp); two activations are not supported");
            int[] xShape = ctx.OnnxShape(node, x);
            ConstTensor c = ctx.Const(node, bound);
            int[] cShape = c.ShapeAsInts();
            int rank = xShape.Length;
            int[] full = [.. Enumerable.Repeat(1, Math.Max(rank - cShape.Length, 0)), .. cShape];
            int channels = rank >= 2 ? xShape[1] : 1;
            bool perChannel = rank >= 2 && full.Length == rank && full.Select((d, i) => i == 1 ? d == 1 || d == channels : d == 1).All(ok => ok);
            if (!perChannel)
            {
                throw node.Unsupported($"constant '{bound}' of shape [{string.Join(", ", cShape)}] against input [{string.Join(", ", xShape)}]: " +
                    "only a scalar or a constant varying along axis 1 (the channels) of a rank >= 2 input is supported");
            }

            float[] values = c.AsFloats();
            float[] v = Enumerable.Range(0, channels).Select(i => values[values.Length == 1 ? 0 : i]).ToArray();
            float[] other = Enumerable.Repeat(lower ? float.PositiveInfinity : float.NegativeInfinity, channels).ToArray();
            bool channelsLast = rank >= 3; // the runtime clamps along the last axis: the channels go there
            TensorRef input = channelsLast ? ctx.ChannelsLast(node, x) : ctx.Onnx(node, x);
            TensorRef lo = ctx.Weights(node.Outputs[0] + ".lo", lower ? v : other, [channels]);
            TensorRef hi = ctx.Weights(node.Outputs[0] + ".hi", lower ? other : v, [channels]);
            ctx.SetSameLayoutAs(node.Outputs[0], ctx.Emit(OpCode.ChannelClip, [input, lo, hi], [], node.Outputs[0]), channelsLast);
        }, (ctx, node) =>
        {
            ConstTensor a = ctx.Const(node, node.RequiredInput(0)), b = ctx.Const(node, node.RequiredInput(1));
            return [ConstFolding.Broadcast(node, a, b, f, fi)];
        });
}
