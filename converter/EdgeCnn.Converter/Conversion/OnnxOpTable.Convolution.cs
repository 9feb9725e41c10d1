using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>Conv, ConvTranspose, Gemm and MatMul: the weighted layers, lowered to runtime Conv / ConvTranspose / Dense.</summary>
internal static partial class OnnxOpTable
{
    static partial void AddConvolution(List<Entry> ops)
    {
        ops.Add(new Entry(new("Conv", 1, MaxOpset, "Conv (channels-last, OHWI weights)"), ConvertConv));
        ops.Add(new Entry(new("ConvTranspose", 1, MaxOpset, "ConvTranspose (channels-last)"), ConvertConvTranspose));
        ops.Add(new Entry(new("Gemm", 1, MaxOpset, "Dense (B constant)"), ConvertGemm));
        ops.Add(new Entry(new("MatMul", 1, MaxOpset, "Dense (B constant 2-D)"), ConvertMatMul));
    }

    private static void ConvertConv(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        ConstTensor w = ctx.Const(node, node.RequiredInput(1));
        int[] ws = w.ShapeAsInts(); // [O, C/g, k...]
        int r = ws.Length - 2;
        if (r is < 1 or > 3)
        {
            throw node.Unsupported($"weights of rank {ws.Length}; 1D to 3D convolution is supported");
        }

        CheckKernelShape(node, ws.AsSpan(2).ToArray());
        TensorRef x = ctx.ChannelsLast(node, node.RequiredInput(0));
        int[] perm = [0, .. Enumerable.Range(2, r), 1]; // OIHW -> OHWI
        TensorRef weights = ctx.Weights(node.Name + ".weight", Layout.PermuteData(w.AsFloats(), ws, perm), Layout.Permute(ws, perm));
        ctx.NoteWeights(weights, w, 0);
        TensorRef? bias = node.Input(2) is { } b ? ctx.Weights(node.Name + ".bias", ctx.Const(node, b).AsFloats(), [ws[0]]) : null;
        var attributes = new List<NodeAttribute>(SpatialAttributes(node, r))
        {
            NodeAttribute.Int(AttributeKey.Group, checked((int)node.Int("group", 1))),
        };
        TensorRef y = ctx.Emit(OpCode.Conv, [x, weights, bias], [.. attributes], node.Outputs[0]);
        ctx.SetChannelsLast(node.Outputs[0], y);
    }

    private static void ConvertConvTranspose(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes("auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads", "strides");
        ConstTensor w = ctx.Const(node, node.RequiredInput(1));
        int[] ws = w.ShapeAsInts(); // [C_in, C_out / g, k...]
        int r = ws.Length - 2;
        if (r is < 1 or > 3)
        {
            throw node.Unsupported($"weights of rank {ws.Length}; 1D to 3D transposed convolution is supported");
        }

        CheckKernelShape(node, ws.AsSpan(2).ToArray());
        int group = checked((int)node.Int("group", 1));
        int cin = ws[0], og = ws[1], cout = og * group;
        if (group < 1 || cin % group != 0)
        {
            throw node.Malformed($"group {group} does not divide the {cin} input channels");
        }

        int ig = cin / group, kVolume = ws.AsSpan(2).ToArray().Aggregate(1, (a, d) => a * d);
        float[] src = w.AsFloats();
        var dst = new float[src.Length]; // runtime layout [O, k..., C_in / g]
        for (int g = 0; g < group; g++)
        {
            for (int oc = 0; oc < og; oc++)
            {
                for (int i = 0; i < ig; i++)
                {
                    for (int k = 0; k < kVolume; k++)
                    {
                        dst[((((g * og) + oc) * kVolume) + k) * ig + i] = src[((((g * ig) + i) * og) + oc) * kVolume + k];
                    }
                }
            }
        }

        TensorRef x = ctx.ChannelsLast(node, node.RequiredInput(0));
        int[] inShape = ctx.OnnxShape(node, node.RequiredInput(0));
        int[] strides = Ints(node, "strides", r, 1);
        int[] dilations = Ints(node, "dilations", r, 1);
        int[] outputPadding = Ints(node, "output_padding", r, 0);
        int[] pads = TransposePads(node, r, inShape, ws, strides, dilations, outputPadding);
        TensorRef weights = ctx.Weights(node.Name + ".weight", dst, [cout, .. ws.AsSpan(2).ToArray(), ig]);
        TensorRef? bias = node.Input(2) is { } b ? ctx.Weights(node.Name + ".bias", ctx.Const(node, b).AsFloats(), [cout]) : null;
        TensorRef y = ctx.Emit(OpCode.ConvTranspose, [x, weights, bias],
        [
            NodeAttribute.IntList(AttributeKey.Strides, strides), NodeAttribute.IntList(AttributeKey.Dilations, dilations),
            NodeAttribute.IntList(AttributeKey.Pads, pads), NodeAttribute.IntList(AttributeKey.OutputPadding, outputPadding),
            NodeAttribute.Int(AttributeKey.Group, group),
        ], node.Outputs[0]);
        ctx.SetChannelsLast(node.Outputs[0], y);
    }

    /// <summary>
    /// ConvTranspose pads: explicit, or derived from output_shape / auto_pad as the ONNX spec states:
    /// total = stride * (in - 1) + output_padding + ((k - 1) * dilation + 1) - out, split begin/end by SAME_UPPER or not.
    /// </summary>
    private static int[] TransposePads(OnnxNode node, int r, int[] inShape, int[] ws, int[] strides, int[] dilations, int[] outputPadding)
    {
        string autoPad = node.String("auto_pad", "NOTSET");
        long[]? outputShape = node.Ints("output_shape");
        if (outputShape is null && autoPad is "NOTSET" or "VALID")
        {
            return string.Equals(autoPad, "VALID", StringComparison.Ordinal) ? new int[2 * r] : Ints(node, "pads", 2 * r, 0);
        }

        if (autoPad is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER"))
        {
            throw node.Unsupported($"auto_pad '{autoPad}'; supported: NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        }

        var pads = new int[2 * r];
        for (int d = 0; d < r; d++)
        {
            long input = inShape[2 + d];
            long output = outputShape is not null ? outputShape[outputShape.Length - r + d] : input * strides[d];
            long total = (strides[d] * (input - 1)) + outputPadding[d] + ((long)(ws[2 + d] - 1) * dilations[d]) + 1 - output;
            if (total < 0)
            {
                // The requested output is larger than the stride covers: the extra rows at the end are output padding.
                outputPadding[d] = checked((int)(outputPadding[d] - total));
                total = 0;
            }

            bool upper = !string.Equals(autoPad, "SAME_LOWER", StringComparison.Ordinal);
            pads[d] = (int)(upper ? total / 2 : total - (total / 2));
            pads[r + d] = (int)(total - pads[d]);
        }

        return pads;
    }

    private static void ConvertGemm(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes("alpha", "beta", "transA", "transB", "broadcast");
        float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
        ConstTensor b = ctx.Const(node, node.RequiredInput(1));
        int[] bs = b.ShapeAsInts();
        if (bs.Length != 2)
        {
            throw node.Malformed($"B has rank {bs.Length}; Gemm takes 2-D matrices");
        }

        TensorRef a = ctx.Onnx(node, node.RequiredInput(0));
        if (node.Int("transA", 0) != 0)
        {
            a = ctx.Emit(OpCode.Transpose, [a], [NodeAttribute.IntList(AttributeKey.Perm, [1, 0])], node.Name + ".aT");
        }

        // Dense weights are [O, K]: B^T when transB = 0.
        float[] w = node.Int("transB", 0) != 0 ? b.AsFloats() : Layout.PermuteData(b.AsFloats(), bs, [1, 0]);
        int outputs = node.Int("transB", 0) != 0 ? bs[0] : bs[1];
        int k = w.Length / outputs;
        if (alpha != 1f)
        {
            w = Array.ConvertAll(w, v => v * alpha);
        }

        TensorRef weights = ctx.Weights(node.Name + ".weight", w, [outputs, k]);
        if (alpha == 1f)
        {
            ctx.NoteWeights(weights, b, node.Int("transB", 0) != 0 ? 0 : 1);
        }

        TensorRef? bias = null;
        ConstTensor? c = ctx.ConstOrNull(node.Input(2));
        bool biasFolded = c is not null && (c.Count == outputs || c.Count == 1) && (c.Shape.Length < 2 || c.Shape[0] == 1);
        if (biasFolded)
        {
            float[] values = c!.Count == 1 ? Enumerable.Repeat(c.AsFloats()[0], outputs).ToArray() : c.AsFloats();
            bias = ctx.Weights(node.Name + ".bias", Array.ConvertAll(values, v => v * beta), [outputs]);
        }

        TensorRef y = ctx.Emit(OpCode.Dense, [a, weights, bias], [], biasFolded || node.Input(2) is null ? node.Outputs[0] : node.Name + ".matmul");
        if (!biasFolded && node.Input(2) is { } cName && beta != 0f)
        {
            TensorRef cTensor = ctx.Onnx(node, cName);
            if (beta != 1f)
            {
                cTensor = ctx.Emit(OpCode.Mul, [cTensor, ctx.Weights(node.Name + ".beta", [beta], [1])], [], node.Name + ".betaC");
            }

            y = ctx.Emit(OpCode.Add, [y, cTensor], [], node.Outputs[0]);
        }

        ctx.SetOnnx(node.Outputs[0], y);
    }

    private static void ConvertMatMul(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes();
        ConstTensor b = ctx.Const(node, node.RequiredInput(1));
        int[] bs = b.ShapeAsInts();
        if (bs.Length != 2)
        {
            throw node.Unsupported($"B has rank {bs.Length}; MatMul with a constant 2-D B (a dense layer) is supported");
        }

        TensorRef a = ctx.Onnx(node, node.RequiredInput(0));
        if (ctx.Builder.Shape(a).Length < 2)
        {
            throw node.Unsupported("a 1-D A; MatMul with A of rank >= 2 is supported");
        }

        TensorRef weights = ctx.Weights(node.Name + ".weight", Layout.PermuteData(b.AsFloats(), bs, [1, 0]), [bs[1], bs[0]]);
        ctx.NoteWeights(weights, b, 1);
        ctx.SetOnnx(node.Outputs[0], ctx.Emit(OpCode.Dense, [a, weights, null], [], node.Outputs[0]));
    }

    /// <summary>Strides, Dilations, and Pads or PadMode from ONNX's strides/dilations/pads/auto_pad, shared with pooling.</summary>
    internal static IEnumerable<NodeAttribute> SpatialAttributes(OnnxNode node, int r)
    {
        yield return NodeAttribute.IntList(AttributeKey.Strides, Ints(node, "strides", r, 1));
        yield return NodeAttribute.IntList(AttributeKey.Dilations, Ints(node, "dilations", r, 1));
        string autoPad = node.String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET":
                yield return NodeAttribute.IntList(AttributeKey.Pads, Ints(node, "pads", 2 * r, 0));
                break;
            case "SAME_UPPER":
                yield return NodeAttribute.Int(AttributeKey.PadMode, (int)PadMode.SameUpper);
                break;
            case "SAME_LOWER":
                yield return NodeAttribute.Int(AttributeKey.PadMode, (int)PadMode.SameLower);
                break;
            case "VALID":
                yield return NodeAttribute.Int(AttributeKey.PadMode, (int)PadMode.Valid);
                break;
            default:
                throw node.Malformed($"auto_pad '{autoPad}' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID");
        }
    }

    /// <summary>An int list attribute of the given length, or the default repeated.</summary>
    internal static int[] Ints(OnnxNode node, string name, int length, int defaultValue)
    {
        long[]? values = node.Ints(name);
        if (values is null)
        {
            return Enumerable.Repeat(defaultValue, length).ToArray();
        }

        if (values.Length != length)
        {
            throw node.Malformed($"attribute '{name}' has {values.Length} values; {length} expected");
        }

        return Array.ConvertAll(values, v => v is < int.MinValue or > int.MaxValue ? throw node.Malformed($"attribute '{name}' value {v} is out of range") : (int)v);
    }

    private static void CheckKernelShape(OnnxNode node, int[] fromWeights)
    {
        if (node.Ints("kernel_shape") is { } k && !k.Select(v => (int)v).SequenceEqual(fromWeights))
        {
            throw node.Malformed($"kernel_shape [{string.Join(',', k)}] disagrees with the weights' [{string.Join(',', fromWeights)}]");
        }
    }
}
