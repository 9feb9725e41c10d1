using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>Element-wise activations: they keep whichever layout their input has, so they never cost a transpose.</summary>
internal static partial class OnnxOpTable
{
    static partial void AddActivations(List<Entry> ops)
    {
        ops.Add(Unary("Relu", 1, OpCode.Relu, _ => []));
        ops.Add(Unary("Sigmoid", 1, OpCode.Sigmoid, _ => []));
        ops.Add(Unary("Tanh", 1, OpCode.Tanh, _ => []));
        ops.Add(Unary("Softplus", 1, OpCode.Softplus, _ => []));
        ops.Add(Unary("HardSwish", 14, OpCode.HardSwish, _ => []));
        ops.Add(Unary("Exp", 1, OpCode.Exp, _ => []));
        ops.Add(Unary("LeakyRelu", 1, OpCode.LeakyRelu, n => [NodeAttribute.Float(AttributeKey.Alpha, n.Float("alpha", 0.01f))], "alpha"));
        ops.Add(Unary("Elu", 1, OpCode.Elu, n => [NodeAttribute.Float(AttributeKey.Alpha, n.Float("alpha", 1f))], "alpha"));
        ops.Add(Unary("Selu", 1, OpCode.Selu, n =>
            [NodeAttribute.Float(AttributeKey.Alpha, n.Float("alpha", 1.67326319217681884765625f)),
             NodeAttribute.Float(AttributeKey.Gamma, n.Float("gamma", 1.05070102214813232421875f))], "alpha", "gamma"));
        ops.Add(Unary("HardSigmoid", 1, OpCode.HardSigmoid, n =>
            [NodeAttribute.Float(AttributeKey.Alpha, n.Float("alpha", 0.2f)), NodeAttribute.Float(AttributeKey.Beta, n.Float("beta", 0.5f))],
            "alpha", "beta"));
        ops.Add(new Entry(new("Clip", 1, MaxOpset, "Clip (ReLU6 when 0..6)"), ConvertClip));
        ops.Add(new Entry(new("PRelu", 1, MaxOpset, "PRelu (slope constant)"), ConvertPRelu));
    }

    private static Entry Unary(string opType, int minOpset, OpCode op, Func<OnnxNode, NodeAttribute[]> attributes, params string[] known) =>
        new(new(opType, minOpset, MaxOpset, op.ToString()), (ctx, node) =>
        {
            node.OnlyAttributes(known);
            EmitFollowingLayout(ctx, node, op, attributes(node));
        });

    /// <summary>Runs a one-input op in the layout its input already has.</summary>
    internal static void EmitFollowingLayout(ConversionContext ctx, OnnxNode node, OpCode op, NodeAttribute[] attributes)
    {
        string x = node.RequiredInput(0);
        bool channelsLast = ctx.PrefersChannelsLast(x);
        TensorRef input = channelsLast ? ctx.ChannelsLast(node, x) : ctx.Onnx(node, x);
        ctx.SetSameLayoutAs(node.Outputs[0], ctx.Emit(op, [input], attributes, node.Outputs[0]), channelsLast);
    }

    private static void ConvertClip(ConversionContext ctx, OnnxNode node)
    {
        float min, max;
        if (node.Opset < 11)
        {
            node.OnlyAttributes("min", "max");
            min = node.Float("min", float.NegativeInfinity);
            max = node.Float("max", float.PositiveInfinity);
        }
        else
        {
            node.OnlyAttributes();
            min = node.Input(1) is { } lo ? ctx.Const(node, lo).AsFloats()[0] : float.NegativeInfinity;
            max = node.Input(2) is { } hi ? ctx.Const(node, hi).AsFloats()[0] : float.PositiveInfinity;
        }

        EmitFollowingLayout(ctx, node, OpCode.Clip, [NodeAttribute.Float(AttributeKey.Min, min), NodeAttribute.Float(AttributeKey.Max, max)]);
    }

    private static void ConvertPRelu(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes();
        EmitBinary(ctx, node, OpCode.PRelu);
    }
}
