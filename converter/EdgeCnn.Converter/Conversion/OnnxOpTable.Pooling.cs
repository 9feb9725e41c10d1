using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Pooling: MaxPool, AveragePool, LpPool and the global pools, run channels-last. ONNX's window attributes map one to one
/// onto the runtime's (pads are begins then ends in both; auto_pad is PadMode).
/// </summary>
internal static partial class OnnxOpTable
{
    static partial void AddPooling(List<Entry> ops)
    {
        ops.Add(new Entry(new OnnxOpSupport("MaxPool", MinOpset, MaxOpset, "MaxPool (channels-last)"),
            (ctx, node) => ConvertWindowPool(ctx, node, OpCode.MaxPool)));
        ops.Add(new Entry(new OnnxOpSupport("AveragePool", MinOpset, MaxOpset, "AveragePool (channels-last)"),
            (ctx, node) => ConvertWindowPool(ctx, node, OpCode.AveragePool)));
        ops.Add(new Entry(new OnnxOpSupport("LpPool", MinOpset, MaxOpset, "LpPool (channels-last)"),
            (ctx, node) => ConvertWindowPool(ctx, node, OpCode.LpPool)));
        ops.Add(new Entry(new OnnxOpSupport("GlobalAveragePool", MinOpset, MaxOpset, "GlobalAveragePool (channels-last)"),
            (ctx, node) => ConvertGlobalPool(ctx, node, OpCode.GlobalAveragePool)));
        ops.Add(new Entry(new OnnxOpSupport("GlobalMaxPool", MinOpset, MaxOpset, "GlobalMaxPool (channels-last)"),
            (ctx, node) => ConvertGlobalPool(ctx, node, OpCode.GlobalMaxPool)));
        ops.Add(new Entry(new OnnxOpSupport("GlobalLpPool", MinOpset, MaxOpset, "LpPool over the whole spatial extent (channels-last)"),
            ConvertGlobalLpPool));
    }

    private static void ConvertWindowPool(ConversionContext ctx, OnnxNode node, OpCode op)
    {
        int opset = node.Opset;
        var known = new List<string> { "auto_pad", "kernel_shape", "pads", "strides" };
        bool hasCeil;
        bool hasDilations;
        switch (op)
        {
            case OpCode.MaxPool:
                known.Add("storage_order");
                hasCeil = hasDilations = opset >= 10;
                if (node.Int("storage_order", 0) != 0)
                {
                    throw node.Unsupported("storage_order = 1 (column-major indices) is not supported; only 0");
                }

                if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0)
                {
                    throw node.Unsupported("the second output 'Indices' is not supported; only the pooled values");
                }

                break;
            case OpCode.AveragePool:
                known.Add("count_include_pad");
                hasCeil = opset >= 10;
                hasDilations = opset >= 19;
                break;
            default:
                known.Add("p");
                hasCeil = hasDilations = opset >= 18;
                break;
        }

        if (hasCeil)
        {
            known.Add("ceil_mode");
        }

        if (hasDilations)
        {
            known.Add("dilations");
        }

        node.OnlyAttributes([.. known]);
        string input = node.RequiredInput(0);
        int rank = ctx.OnnxShape(node, input).Length;
        int spatial = rank - 2;
        if (spatial is < 1 or > 3)
        {
            throw node.Unsupported($"input has rank {rank}; pooling takes [N, C, spatial...] with 1 to 3 spatial axes");
        }

        int[] kernel = PoolInts(node, "kernel_shape", spatial, null)
            ?? throw node.Malformed("attribute 'kernel_shape' is required");
        var attributes = new List<NodeAttribute> { NodeAttribute.IntList(AttributeKey.KernelShape, kernel) };
        AddWindowAttributes(node, spatial, attributes);
        long ceil = node.Int("ceil_mode", 0);
        if (ceil is not (0 or 1))
        {
            throw node.Malformed($"ceil_mode = {ceil}; 0 or 1 expected");
        }

        if (ceil == 1)
        {
            attributes.Add(NodeAttribute.Int(AttributeKey.CeilMode, 1));
        }

        if (op == OpCode.AveragePool && node.Int("count_include_pad", 0) != 0)
        {
            attributes.Add(NodeAttribute.Int(AttributeKey.CountIncludePad, 1));
        }

        if (op == OpCode.LpPool)
        {
            attributes.Add(NodeAttribute.Int(AttributeKey.P, LpPoolP(node)));
        }

        TensorRef y = ctx.Emit(op, [ctx.ChannelsLast(node, input)], [.. attributes], node.Name);
        ctx.SetChannelsLast(node.Outputs[0], y);
    }

    /// <summary>strides, dilations, pads and auto_pad: shared by the window pools.</summary>
    private static void AddWindowAttributes(OnnxNode node, int spatial, List<NodeAttribute> attributes)
    {
        if (PoolInts(node, "strides", spatial, null) is { } strides)
        {
            attributes.Add(NodeAttribute.IntList(AttributeKey.Strides, strides));
        }

        if (PoolInts(node, "dilations", spatial, null) is { } dilations)
        {
            attributes.Add(NodeAttribute.IntList(AttributeKey.Dilations, dilations));
        }

        string autoPad = node.String("auto_pad", "NOTSET");
        PadMode mode = autoPad switch
        {
            "NOTSET" or "" => PadMode.Explicit,
            "SAME_UPPER" => PadMode.SameUpper,
            "SAME_LOWER" => PadMode.SameLower,
            "VALID" => PadMode.Valid,
            _ => throw node.Malformed($"auto_pad = '{autoPad}'; NOTSET, SAME_UPPER, SAME_LOWER or VALID expected"),
        };
        if (mode == PadMode.Explicit)
        {
            if (PoolInts(node, "pads", 2 * spatial, "begin of each spatial axis, then end of each") is { } pads)
            {
                attributes.Add(NodeAttribute.IntList(AttributeKey.Pads, pads));
            }
        }
        else
        {
            attributes.Add(NodeAttribute.Int(AttributeKey.PadMode, (int)mode));
        }
    }

    private static int[]? PoolInts(OnnxNode node, string name, int count, string? layout)
    {
        long[]? values = node.Ints(name);
        if (values is null)
        {
            return null;
        }

        if (values.Length != count)
        {
            throw node.Malformed($"attribute '{name}' has {values.Length} values; {count} expected{(layout is null ? "" : $" ({layout})")}");
        }

        return Array.ConvertAll(values, v => v is < int.MinValue or > int.MaxValue
            ? throw node.Unsupported($"attribute '{name}' value {v} is out of range")
            : (int)v);
    }

    private static int LpPoolP(OnnxNode node)
    {
        long p = node.Int("p", 2);
        return p is >= 1 and <= int.MaxValue ? (int)p : throw node.Unsupported($"p = {p}; an integer >= 1 is supported");
    }

    private static void ConvertGlobalPool(ConversionContext ctx, OnnxNode node, OpCode op)
    {
        node.OnlyAttributes();
        string input = node.RequiredInput(0);
        TensorRef y = ctx.Emit(op, [ctx.ChannelsLast(node, input)], [], node.Name);
        ctx.SetChannelsLast(node.Outputs[0], y);
    }

    private static void ConvertGlobalLpPool(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes("p");
        string input = node.RequiredInput(0);
        int[] shape = ctx.OnnxShape(node, input);
        if (shape.Length is < 3 or > 5)
        {
            throw node.Unsupported($"input has rank {shape.Length}; pooling takes [N, C, spatial...] with 1 to 3 spatial axes");
        }

        NodeAttribute[] attributes =
        [
            NodeAttribute.IntList(AttributeKey.KernelShape, shape[2..]),
            NodeAttribute.Int(AttributeKey.P, LpPoolP(node)),
        ];
        TensorRef y = ctx.Emit(OpCode.LpPool, [ctx.ChannelsLast(node, input)], attributes, node.Name);
        ctx.SetChannelsLast(node.Outputs[0], y);
    }
}
