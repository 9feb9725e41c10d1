using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// Pre-quantized ONNX: QuantizeLinear / DequantizeLinear (QDQ) and QLinearConv / QLinearMatMul, with the model's own scales
/// and zero points. Activations become runtime Quantize / Dequantize nodes (uint8 values are held as int8 with the zero
/// point minus 128: the same reals); quantized constants are folded to floats that remember their quantization. The QLinear
/// ops are lowered to Dequantize -> Conv / MatMul -> Quantize, and the QDQ fusion pass (Passes/QdqFusion.cs) then turns
/// every op between a Dequantize and a Quantize into the runtime's int8 op.
/// </summary>
internal static partial class OnnxOpTable
{
    static partial void AddQuantization(List<Entry> ops)
    {
        ops.Add(new Entry(new("QuantizeLinear", 10, MaxOpset, "Quantize (per-tensor; constants folded)"), ConvertQuantizeLinear, FoldQuantizeLinear));
        ops.Add(new Entry(new("DequantizeLinear", 10, MaxOpset, "Dequantize (constants folded, keeping their scales)"), ConvertDequantizeLinear, FoldDequantizeLinear));
        ops.Add(new Entry(new("QLinearConv", 10, MaxOpset, "int8 Conv (through QDQ fusion)"), ConvertQLinearConv));
        ops.Add(new Entry(new("QLinearMatMul", 10, MaxOpset, "int8 Dense (through QDQ fusion)"), ConvertQLinearMatMul));
    }

    private static void ConvertQuantizeLinear(ConversionContext ctx, OnnxNode node)
    {
        CheckQdqAttributes(node);
        QuantizationInfo q = PerTensor(ctx, node, node.RequiredInput(1), node.Input(2), unsignedDefault: true);
        EmitQuantize(ctx, node, node.RequiredInput(0), q, node.Outputs[0]);
    }

    private static ConstTensor[] FoldQuantizeLinear(ConversionContext ctx, OnnxNode node)
    {
        CheckQdqAttributes(node);
        ConstTensor x = ctx.Const(node, node.RequiredInput(0));
        (float[] scales, long[] zeros, int axis, OnnxDataType type) = Parameters(ctx, node, x, node.RequiredInput(1), node.Input(2), true);
        float[] v = x.AsFloats();
        long inner = Inner(x.Shape, axis);
        long lo = type == OnnxDataType.UInt8 ? 0 : -128, hi = type == OnnxDataType.UInt8 ? 255 : 127;
        var q = new long[v.Length];
        for (long i = 0; i < v.Length; i++)
        {
            int c = axis < 0 ? 0 : (int)(i / inner % scales.Length);
            double r = Math.Round(v[i] / scales[c], MidpointRounding.ToEven);
            q[i] = double.IsNaN(r) ? zeros[c] : (long)Math.Clamp(r + zeros[c], lo, hi);
        }

        return [ConstTensor.FromLongs(q, x.Shape, type)];
    }

    private static void ConvertDequantizeLinear(ConversionContext ctx, OnnxNode node)
    {
        CheckQdqAttributes(node);
        string x = node.RequiredInput(0);
        TensorRef input = ctx.PrefersChannelsLast(x) ? ctx.ChannelsLast(node, x) : ctx.Onnx(node, x);
        TensorDesc d = ctx.Builder.Desc(input);
        if (d.Type != DataType.Int8)
        {
            throw node.Unsupported($"input '{x}' is {d.Type}; DequantizeLinear of a computed value needs an int8 value made by QuantizeLinear or a QLinear op");
        }

        QuantizationInfo q = PerTensor(ctx, node, node.RequiredInput(1), node.Input(2), unsignedDefault: false, own: d.Quantization);
        if (q.Scale != d.Quantization!.Scale || q.ZeroPoint != d.Quantization.ZeroPoint)
        {
            throw node.Unsupported($"it dequantizes '{x}' with scale {q.Scale} and zero point {q.ZeroPoint}, which was quantized with " +
                $"{d.Quantization.Scale} and {d.Quantization.ZeroPoint}; EdgeCnn keeps one quantization per tensor");
        }

        ctx.SetSameLayoutAs(node.Outputs[0], ctx.Builder.Dequantize(input, ctx.UniqueName(node.Outputs[0])), ctx.PrefersChannelsLast(x));
    }

    private static ConstTensor[] FoldDequantizeLinear(ConversionContext ctx, OnnxNode node)
    {
        CheckQdqAttributes(node);
        ConstTensor x = ctx.Const(node, node.RequiredInput(0));
        (float[] scales, long[] zeros, int axis, OnnxDataType type) = Parameters(ctx, node, x, node.RequiredInput(1), node.Input(2), false);
        long[] q = x.AsLongs();
        long inner = Inner(x.Shape, axis);
        var v = new float[q.Length];
        for (long i = 0; i < q.Length; i++)
        {
            int c = axis < 0 ? 0 : (int)(i / inner % scales.Length);
            v[i] = (q[i] - zeros[c]) * scales[c];
        }

        int shift = type == OnnxDataType.UInt8 ? 128 : 0;
        var source = new SourceQuantization(scales, zeros.Select(z => (int)z - shift).ToArray(), axis);
        return [ConstTensor.FromFloats(v, x.Shape).WithQuantization(source)];
    }

    /// <summary>QLinearConv(x, xs, xz, w, ws, wz, ys, yz, B) = Quantize(Conv(Dequantize(x), dequantized w, B * xs * ws)).</summary>
    private static void ConvertQLinearConv(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        string xf = DequantizedInput(ctx, node, 0), wf = DequantizedConstant(ctx, node, 3, 0);
        var inputs = new List<string> { xf, wf };
        if (node.Input(8) is { } b)
        {
            float xs = ctx.Const(node, node.RequiredInput(1)).AsFloats()[0];
            float[] ws = ctx.Const(node, node.RequiredInput(4)).AsFloats();
            long[] bq = ctx.Const(node, b).AsLongs();
            string bf = ctx.UniqueName(node.Name + ".bias.dq");
            ctx.SetConst(bf, ConstTensor.FromFloats(bq.Select((v, o) => (float)(v * ((double)xs * ws[ws.Length == 1 ? 0 : o]))).ToArray(), [bq.Length]));
            inputs.Add(bf);
        }

        LowerThroughFloat(ctx, node, "Conv", inputs, 6);
    }

    /// <summary>QLinearMatMul(a, as, az, b, bs, bz, ys, yz) = Quantize(MatMul(Dequantize(a), dequantized b)).</summary>
    private static void ConvertQLinearMatMul(ConversionContext ctx, OnnxNode node)
    {
        node.OnlyAttributes();
        LowerThroughFloat(ctx, node, "MatMul", [DequantizedInput(ctx, node, 0), DequantizedConstant(ctx, node, 3, 1)], 6);
    }

    /// <summary>Runs the float op's own converter on a node made from the QLinear one, then quantizes its output.</summary>
    private static void LowerThroughFloat(ConversionContext ctx, OnnxNode node, string op, List<string> inputs, int outputScaleInput)
    {
        string yf = ctx.UniqueName(node.Outputs[0] + ".float");
        var proto = new NodeProto { OpType = op, Name = node.Name, Domain = "" };
        proto.Input.AddRange(inputs);
        proto.Output.Add(yf);
        proto.Attribute.AddRange(node.Proto.Attribute);
        Entry entry = s_ops[op];
        entry.Convert!(ctx, new OnnxNode(proto, node.Index, node.Opset));
        QuantizationInfo q = PerTensor(ctx, node, node.RequiredInput(outputScaleInput), node.Input(outputScaleInput + 1), unsignedDefault: true);
        EmitQuantize(ctx, node, yf, q, node.Outputs[0]);
    }

    private static string DequantizedInput(ConversionContext ctx, OnnxNode node, int input)
    {
        string x = node.RequiredInput(input);
        QuantizationInfo q = PerTensor(ctx, node, node.RequiredInput(input + 1), node.Input(input + 2), unsignedDefault: true);
        bool cl = ctx.PrefersChannelsLast(x);
        TensorRef t = cl ? ctx.ChannelsLast(node, x) : ctx.Onnx(node, x);
        TensorDesc d = ctx.Builder.Desc(t);
        if (d.Type != DataType.Int8 || d.Quantization!.Scale != q.Scale || d.Quantization.ZeroPoint != q.ZeroPoint)
        {
            throw node.Unsupported($"input '{x}' must be an int8 value quantized with scale {q.Scale} and zero point {q.ZeroPoint} (by QuantizeLinear or a QLinear op)");
        }

        string name = ctx.UniqueName(x + ".dq");
        ctx.SetSameLayoutAs(name, ctx.Builder.Dequantize(t, name), cl);
        return name;
    }

    private static string DequantizedConstant(ConversionContext ctx, OnnxNode node, int input, int defaultAxis)
    {
        var proto = new NodeProto { OpType = "DequantizeLinear", Name = node.Name + ".w" };
        proto.Input.AddRange([node.RequiredInput(input), node.RequiredInput(input + 1), node.Input(input + 2) ?? ""]);
        ConstTensor scale = ctx.Const(node, node.RequiredInput(input + 1));
        if (scale.Count > 1)
        {
            proto.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = defaultAxis });
        }

        string name = ctx.UniqueName(node.RequiredInput(input) + ".dq");
        ctx.SetConst(name, FoldDequantizeLinear(ctx, new OnnxNode(proto, node.Index, node.Opset))[0]);
        return name;
    }

    private static void EmitQuantize(ConversionContext ctx, OnnxNode node, string x, QuantizationInfo q, string output)
    {
        bool cl = ctx.PrefersChannelsLast(x);
        TensorRef input = cl ? ctx.ChannelsLast(node, x) : ctx.Onnx(node, x);
        if (ctx.Builder.Desc(input).Type != DataType.Float32)
        {
            throw node.Unsupported($"input '{x}' is not float");
        }

        ctx.SetSameLayoutAs(output, ctx.Builder.Quantize(input, q, ctx.UniqueName(output)), cl);
        ConstTensor? zero = ctx.ConstOrNull(node.Input(node.OpType is "QuantizeLinear" ? 2 : 7));
        if (zero is null || zero.Type == OnnxDataType.UInt8)
        {
            ctx.UnsignedValues.Add(output);
        }
    }

    private static void CheckQdqAttributes(OnnxNode node)
    {
        node.OnlyAttributes("axis", "saturate", "block_size", "output_dtype", "precision");
        if (node.Int("block_size", 0) != 0)
        {
            throw node.Unsupported("blocked quantization (block_size) is not supported; per-tensor and per-axis are");
        }
    }

    /// <summary>A per-tensor int8 quantization from scale and zero-point inputs (uint8 zero points minus 128).</summary>
    private static QuantizationInfo PerTensor(ConversionContext ctx, OnnxNode node, string scaleName, string? zeroName, bool unsignedDefault,
        QuantizationInfo? own = null)
    {
        ConstTensor scale = ctx.Const(node, scaleName);
        if (scale.Count != 1)
        {
            throw node.Unsupported($"scale '{scaleName}' has {scale.Count} values; activations are quantized per tensor");
        }

        float s = scale.AsFloats()[0];
        if (!(s > 0f) || !float.IsFinite(s))
        {
            throw node.Malformed($"scale '{scaleName}' is {s}; it must be finite and > 0");
        }

        if (zeroName is null)
        {
            // No zero point: QuantizeLinear makes uint8 with zero point 0; DequantizeLinear takes its input's.
            return QuantizationInfo.PerTensor(s, own?.ZeroPoint ?? (unsignedDefault ? -128 : 0));
        }

        ConstTensor zero = ctx.Const(node, zeroName);
        if (zero.Count != 1 || zero.Type is not (OnnxDataType.Int8 or OnnxDataType.UInt8))
        {
            throw node.Unsupported($"zero point '{zeroName}' must be one int8 or uint8 value; it is {zero.Count} {zero.Type}");
        }

        return QuantizationInfo.PerTensor(s, (int)zero.AsLongs()[0] - (zero.Type == OnnxDataType.UInt8 ? 128 : 0));
    }

    /// <summary>Scales, zero points (in the integer type's own convention), axis (-1 per tensor) and integer type.</summary>
    private static (float[] Scales, long[] Zeros, int Axis, OnnxDataType Type) Parameters(ConversionContext ctx, OnnxNode node, ConstTensor x,
        string scaleName, string? zeroName, bool quantizing)
    {
        float[] scales = ctx.Const(node, scaleName).AsFloats();
        ConstTensor? zero = zeroName is null ? null : ctx.Const(node, zeroName);
        OnnxDataType type = zero?.Type ?? (quantizing ? OnnxDataType.UInt8 : x.Type);
        if (type is not (OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Int32))
        {
            throw node.Unsupported($"{type} quantization is not supported (int8, uint8 and int32 are)");
        }

        long[] zeros = zero?.AsLongs() ?? new long[scales.Length];
        if (zeros.Length != scales.Length || scales.Any(s => !(s > 0f) || !float.IsFinite(s)))
        {
            throw node.Malformed($"{scales.Length} scales (all finite and > 0 required) and {zeros.Length} zero points");
        }

        int axis = -1;
        if (scales.Length > 1)
        {
            int rank = x.Shape.Length;
            long a = node.Int("axis", 1);
            axis = (int)(a < 0 ? a + rank : a);
            if (axis < 0 || axis >= rank || x.Shape[axis] != scales.Length)
            {
                throw node.Malformed($"axis {a} of a rank-{rank} tensor does not hold {scales.Length} channels");
            }
        }

        return (scales, zeros, axis, type);
    }

    private static long Inner(long[] shape, int axis)
    {
        long inner = 1;
        for (int d = axis + 1; axis >= 0 && d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        return inner;
    }
}
