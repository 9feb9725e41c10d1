using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Split: each output is a crop of the input along one axis, which the runtime does exactly with Pad and negative pads
/// (the same lowering as Slice). Computed channels-last when the input already is.
/// </summary>
internal static partial class OnnxOpTable
{
    private static Entry SplitEntry() => new(new("Split", MinOpset, MaxOpset, "one crop (Pad with negative pads) per output"), ConvertSplit);

    private static void ConvertSplit(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes("axis", "split", "num_outputs");
        string x = node.RequiredInput(0);
        int[] shape = ctx.OnnxShape(node, x);
        int r = shape.Length;
        int axis = ConstFolding.Axis(node, node.Int("axis", 0), r);
        int[] sizes = SplitSizes(ctx, node, shape[axis]);
        bool channelsLast = ctx.PrefersChannelsLast(x);
        TensorRef input = channelsLast ? ctx.ChannelsLast(node, x) : ctx.Onnx(node, x);
        int runtimeAxis = channelsLast ? Layout.AxisToChannelsLast(axis, r) : axis;
        int start = 0;
        for (int o = 0; o < sizes.Length; o++)
        {
            var pads = new int[2 * r];
            pads[runtimeAxis] = -start;
            pads[r + runtimeAxis] = -(shape[axis] - start - sizes[o]);
            start += sizes[o];
            if (o >= node.Outputs.Count || node.Outputs[o].Length == 0)
            {
                continue; // an unused output
            }

            TensorRef y = ctx.Emit(OpCode.Pad, [input], [NodeAttribute.IntList(AttributeKey.Pads, pads)], node.Outputs[o]);
            ctx.SetSameLayoutAs(node.Outputs[o], y, channelsLast);
        }
    }

    /// <summary>Sizes from the 'split' input (opset 13+) or attribute (before), else equal parts (the last smaller, opset 18).</summary>
    private static int[] SplitSizes(ConversionContext ctx, OnnxNode node, int dim)
    {
        long[]? split = node.Opset >= 13 ? (node.Input(1) is { } s ? ctx.Const(node, s).AsLongs() : null) : node.Ints("split");
        int outputs = node.Outputs.Count;
        if (split is null)
        {
            int parts = node.Opset >= 18 && node.HasAttribute("num_outputs") ? (int)node.Int("num_outputs", outputs) : outputs;
            if (parts < 1 || (node.Opset < 18 && dim % parts != 0))
            {
                throw node.Malformed($"an axis of {dim} does not split into {parts} equal parts");
            }

            int chunk = (dim + parts - 1) / parts; // opset 18: ceil, the last part takes what is left
            return Enumerable.Range(0, parts).Select(i => Math.Min(chunk, dim - (i * chunk))).ToArray();
        }

        if (split.Sum() != dim || split.Any(v => v < 1) || split.Length != outputs)
        {
            throw split.Any(v => v == 0)
                ? node.Unsupported("an empty split part (the runtime has no zero-size dims)")
                : node.Malformed($"split [{string.Join(',', split)}] does not partition an axis of {dim} into {outputs} outputs");
        }

        return Array.ConvertAll(split, v => (int)v);
    }
}
