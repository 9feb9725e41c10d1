using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// BatchNormalization (inference form, on the channel axis, so channels-last for [N, C, spatial...]) and Softmax /
/// LogSoftmax (ONNX layout, or channels-last with the axis mapped when the input already is).
/// </summary>
internal static partial class OnnxOpTable
{
    static partial void AddNormalization(List<Entry> ops)
    {
        ops.Add(new Entry(new OnnxOpSupport("BatchNormalization", MinOpset, MaxOpset, "BatchNorm (inference; channels-last)"),
            ConvertBatchNormalization));
        ops.Add(new Entry(new OnnxOpSupport("Softmax", MinOpset, MaxOpset, "Softmax (opset < 13: Flatten, Softmax, Reshape)"),
            (ctx, node) => ConvertSoftmaxFamily(ctx, node, OpCode.Softmax)));
        ops.Add(new Entry(new OnnxOpSupport("LogSoftmax", MinOpset, MaxOpset, "LogSoftmax (opset < 13: Flatten, LogSoftmax, Reshape)"),
            (ctx, node) => ConvertSoftmaxFamily(ctx, node, OpCode.LogSoftmax)));
    }

    private static void ConvertBatchNormalization(ConversionContext ctx, OnnxNode node)
    {
        int opset = node.Opset;
        node.OnlyAttributes(opset < 9 ? ["epsilon", "momentum", "spatial"] : opset < 14 ? ["epsilon", "momentum"] : ["epsilon", "momentum", "training_mode"]);
        if (node.Int("training_mode", 0) != 0)
        {
            throw node.Unsupported("training_mode = 1 is not supported; EdgeCnn converts the inference form");
        }

        if (node.Int("spatial", 1) != 1)
        {
            throw node.Unsupported("spatial = 0 (per-element statistics) is not supported; only spatial = 1");
        }

        for (int o = 1; o < node.Outputs.Count; o++)
        {
            if (node.Outputs[o].Length > 0)
            {
                throw node.Unsupported($"output {o} ('{node.Outputs[o]}', a training statistic) is not supported; only Y");
            }
        }

        string input = node.RequiredInput(0);
        int[] shape = ctx.OnnxShape(node, input);
        if (shape.Length is < 2 or > 5)
        {
            throw node.Unsupported($"input has rank {shape.Length}; BatchNormalization takes [N, C] or [N, C, spatial...] up to 3 spatial axes");
        }

        int channels = shape[1];
        string[] names = ["scale", "bias", "mean", "var"];
        var parameters = new TensorRef?[5];
        for (int i = 0; i < 4; i++)
        {
            float[] values = ctx.Const(node, node.RequiredInput(i + 1)).AsFloats();
            if (values.Length != channels)
            {
                throw node.Malformed($"input '{names[i]}' has {values.Length} values; the input has {channels} channels");
            }

            parameters[i + 1] = ctx.Weights($"{node.Name}.{names[i]}", values, [channels]);
        }

        // [N, C] already has the channel last; higher ranks move it there.
        bool channelsLast = shape.Length > 2;
        parameters[0] = channelsLast ? ctx.ChannelsLast(node, input) : ctx.Onnx(node, input);
        float epsilon = node.Float("epsilon", 1e-5f);
        TensorRef y = ctx.Emit(OpCode.BatchNorm, parameters, [NodeAttribute.Float(AttributeKey.Epsilon, epsilon)], node.Name);
        ctx.SetSameLayoutAs(node.Outputs[0], y, channelsLast);
    }

    private static void ConvertSoftmaxFamily(ConversionContext ctx, OnnxNode node, OpCode op)
    {
        node.OnlyAttributes("axis");
        string input = node.RequiredInput(0);
        int[] shape = ctx.OnnxShape(node, input);
        int rank = shape.Length;
        bool coerce2D = node.Opset < 13;
        long rawAxis = node.Int("axis", coerce2D ? 1 : -1);
        if (rawAxis < -rank || rawAxis >= Math.Max(rank, 1))
        {
            throw node.Malformed($"axis {rawAxis} is out of range for rank {rank}");
        }

        int axis = (int)(rawAxis < 0 ? rawAxis + rank : rawAxis);
        if (coerce2D && axis != rank - 1)
        {
            // Before opset 13 the op runs on the input seen as [prod(d < axis), prod(d >= axis)].
            TensorRef flat = ctx.Emit(OpCode.Flatten, [ctx.Onnx(node, input)], [NodeAttribute.Int(AttributeKey.Axis, axis)], node.Name + ".flatten");
            TensorRef s = ctx.Emit(op, [flat], [NodeAttribute.Int(AttributeKey.Axis, -1)], node.Name);
            ctx.SetOnnx(node.Outputs[0], ctx.Emit(OpCode.Reshape, [s], [NodeAttribute.IntList(AttributeKey.Shape, shape)], node.Name + ".reshape"));
            return;
        }

        if (ctx.PrefersChannelsLast(input) && rank is >= 3 and <= 5)
        {
            TensorRef cl = ctx.ChannelsLast(node, input);
            TensorRef y = ctx.Emit(op, [cl], [NodeAttribute.Int(AttributeKey.Axis, Layout.AxisToChannelsLast(axis, rank))], node.Name);
            ctx.SetChannelsLast(node.Outputs[0], y);
            return;
        }

        ctx.SetOnnx(node.Outputs[0], ctx.Emit(op, [ctx.Onnx(node, input)], [NodeAttribute.Int(AttributeKey.Axis, axis)], node.Name));
    }
}
