using System.Globalization;
using System.Runtime.InteropServices;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Quantization;
using static EdgeCnn.Converter.Qdq.OnnxGraphWriter;

namespace EdgeCnn.Converter.Qdq;

/// <summary>
/// Writes a quantized runtime model as a QDQ ONNX model (opset 17) that ONNX Runtime runs as the very same int8 model:
/// every int8 tensor is an int8 ONNX value made by QuantizeLinear with the runtime's own scale and zero point, read
/// through DequantizeLinear; int8 weights are int8 initializers with per-channel DequantizeLinear (axis 0), int32 biases
/// int32 initializers dequantized with s_x * s_w. Layout: the runtime computes channels-last; each runtime tensor is
/// tracked as an ONNX value and the permutation relating them, so layout transposes of the runtime become no ONNX node
/// and spatial ops see NCHW as ONNX requires.
/// </summary>
/// <remarks>
/// <see cref="QdqEncoding.UInt8"/> (the default) writes every int8 value q as the uint8 q + 128 with zero point z + 128
/// (weights: zero point 128): the very same integers after the zero point is subtracted. It exists because ONNX Runtime's
/// x86 int8 kernels for signed weights multiply with VPMADDUBSW, whose int16 pair sums saturate on AVX2/AVX-512 without
/// VNNI (ONNX Runtime's quantization docs: "reduce_range" / U8S8 saturation); with uint8 weights it uses its exact
/// U8U8 path, so ONNX Runtime computes the model exactly as EdgeCnn does. <see cref="QdqEncoding.Int8"/> writes int8.
/// </remarks>
public sealed class QdqExporter
{
    public const int Opset = 17;

    private readonly ModelDefinition _m;
    private readonly OnnxGraphWriter _w = new();
    private readonly (string Name, int[] Perm)?[] _values;
    private readonly Dictionary<string, string> _transposed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _dequantized = new(StringComparer.Ordinal);

    private readonly bool _u8;

    private QdqExporter(ModelDefinition model, QdqEncoding encoding)
    {
        _m = model;
        _u8 = encoding == QdqEncoding.UInt8;
        _values = new (string, int[])?[model.Tensors.Count];
    }

    public static ModelProto Export(ModelDefinition model, QdqEncoding encoding = QdqEncoding.UInt8)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new QdqExporter(model, encoding).Run();
    }

    private ModelProto Run()
    {
        foreach (int i in _m.Inputs)
        {
            TensorDesc d = _m.Tensors[i];
            string name = _w.Unique(d.Name);
            _w.Graph.Input.Add(Value(name, OnnxDataType.Float, d.Shape));
            _values[i] = (name, Identity(d.Shape.Length));
        }

        foreach (NodeDesc n in _m.Nodes)
        {
            try
            {
                Emit(n);
            }
            catch (Exception e) when (e is not QdqExportException)
            {
                throw new QdqExportException($"node '{n.Name}' ({n.Op}): {e.Message}", e);
            }
        }

        string[] onnxNames = _m.Metadata.LastOrDefault(kv => string.Equals(kv.Key, "onnx.outputs", StringComparison.Ordinal)).Value?.Split(',') ?? [];
        for (int k = 0; k < _m.Outputs.Count; k++)
        {
            int t = _m.Outputs[k];
            TensorDesc d = _m.Tensors[t];
            string value = AsFloat(t, Identity(d.Shape.Length));
            string name = _w.Node("Identity", k < onnxNames.Length && onnxNames[k].Length > 0 ? onnxNames[k] : d.Name, [value]);
            _w.Graph.Output.Add(Value(name, OnnxDataType.Float, d.Shape));
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "edgecnn-convert --emit-qdq", Graph = _w.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (KeyValuePair<string, string> kv in _m.Metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = kv.Key, Value = kv.Value });
        }

        return model;
    }

    private void Emit(NodeDesc n)
    {
        int x = n.Inputs[0], y = n.Outputs[0];
        int rank = _m.Tensors[x].Shape.Length;
        int[] cl = Conversion.Layout.ToChannelsLast(Math.Max(rank, 1));
        switch (n.Op)
        {
            case OpCode.Conv:
                Out(y, Activation(n, _w.Node("Conv", Name(y), ConvInputs(n, cl), ConvAttributes(n, rank, true))), cl);
                break;
            case OpCode.Dense:
                if (rank != 2)
                {
                    throw new QdqExportException($"node '{n.Name}' (Dense): only rank-2 inputs have a Gemm form; this one has rank {rank}");
                }

                Out(y, Activation(n, _w.Node("Gemm", Name(y), [AsFloat(x, Identity(2)), Weights(n.Inputs[1], Identity(2)), .. Bias(n)], Int("transB", 1))), Identity(2));
                break;
            case OpCode.MaxPool or OpCode.AveragePool or OpCode.LpPool:
                Out(y, _w.Node(n.Op.ToString(), Name(y), [AsFloat(x, cl)], PoolAttributes(n, rank)), cl);
                break;
            case OpCode.GlobalAveragePool or OpCode.GlobalMaxPool:
                Out(y, _w.Node(n.Op.ToString(), Name(y), [AsFloat(x, cl)]), cl);
                break;
            case OpCode.BatchNorm:
                Out(y, _w.Node("BatchNormalization", Name(y), [AsFloat(x, cl), .. FoldedBatchNorm(n, Name(y))], Float("epsilon", 0f)), cl);
                break;
            case OpCode.Relu or OpCode.Sigmoid or OpCode.Tanh or OpCode.Softplus or OpCode.Exp or OpCode.HardSwish:
                Unary(n, n.Op.ToString());
                break;
            case OpCode.LeakyRelu or OpCode.Elu:
                Unary(n, n.Op.ToString(), Float("alpha", n.Find(AttributeKey.Alpha)?.Floats[0] ?? (n.Op == OpCode.Elu ? 1f : 0.01f)));
                break;
            case OpCode.HardSigmoid:
                Unary(n, "HardSigmoid", Float("alpha", n.Find(AttributeKey.Alpha)?.Floats[0] ?? 0.2f), Float("beta", n.Find(AttributeKey.Beta)?.Floats[0] ?? 0.5f));
                break;
            case OpCode.Clip:
            {
                int[] p = PermOf(x);
                string min = _w.Initializer(Name(y) + ".min", [n.Find(AttributeKey.Min)?.Floats[0] ?? float.NegativeInfinity], []);
                string max = _w.Initializer(Name(y) + ".max", [n.Find(AttributeKey.Max)?.Floats[0] ?? float.PositiveInfinity], []);
                Out(y, _w.Node("Clip", Name(y), [AsFloat(x, p), min, max]), p);
                break;
            }

            case OpCode.ChannelClip:
                ChannelClip(n);
                break;
            case OpCode.Add or OpCode.Sub or OpCode.Mul or OpCode.Div or OpCode.PRelu:
            {
                int[] p = PermOf(_m.Tensors[x].IsConstant ? n.Inputs[1] : x, _m.Tensors[y].Shape.Length);
                Out(y, _w.Node(n.Op.ToString(), Name(y), [AsFloat(x, p), AsFloat(n.Inputs[1], p)]), p);
                break;
            }

            case OpCode.Concat:
            {
                int outRank = _m.Tensors[y].Shape.Length;
                int[] p = PermOf(n.Inputs.First(i => !_m.Tensors[i].IsConstant), outRank);
                int axis = Axis(n, outRank, 0);
                Out(y, _w.Node("Concat", Name(y), n.Inputs.Select(i => AsFloat(i, p)).ToArray(), Int("axis", p[axis])), p);
                break;
            }

            case OpCode.Softmax or OpCode.LogSoftmax:
            {
                int[] p = PermOf(x);
                Out(y, _w.Node(n.Op.ToString(), Name(y), [AsFloat(x, p)], Int("axis", p[Axis(n, rank, -1)])), p);
                break;
            }

            case OpCode.Flatten or OpCode.Reshape or OpCode.Squeeze or OpCode.Unsqueeze or OpCode.Dropout:
            {
                // A view: same bytes, new shape. On an int8 tensor it reshapes the int8 value itself (same quantization).
                int[] shape = _m.Tensors[y].Shape;
                string s = _w.Initializer(Name(y) + ".shape", shape.Select(d => (long)d).ToArray(), [shape.Length]);
                string reshaped = _w.Node("Reshape", Name(y), [Get(x, Identity(rank)), s]);
                _values[y] = (reshaped, Identity(shape.Length));
                break;
            }

            case OpCode.Transpose:
            {
                int[] q = n.Find(AttributeKey.Perm)?.Ints ?? Enumerable.Range(0, rank).Reverse().ToArray();
                (string name, int[] p) = Held(x);
                _values[y] = (name, q.Select(k => p[k]).ToArray()); // runtime_y[k] = runtime_x[q[k]] = onnx[p[q[k]]]
                break;
            }

            case OpCode.Pad:
            {
                int[] p = PermOf(x);
                int[] pads = n.Find(AttributeKey.Pads)!.Ints;
                var onnxPads = new long[2 * rank];
                for (int k = 0; k < rank; k++)
                {
                    onnxPads[p[k]] = pads[k];
                    onnxPads[rank + p[k]] = pads[rank + k];
                }

                string mode = (PadFill)(n.Find(AttributeKey.Mode)?.Ints[0] ?? 0) switch { PadFill.Reflect => "reflect", PadFill.Edge => "edge", _ => "constant" };
                string padsName = _w.Initializer(Name(y) + ".pads", onnxPads, [2 * rank]);
                string value = _w.Initializer(Name(y) + ".value", [n.Find(AttributeKey.Value)?.Floats[0] ?? 0f], []);
                Out(y, _w.Node("Pad", Name(y), [AsFloat(x, p), padsName, value], String("mode", mode)), p);
                break;
            }

            case OpCode.Quantize:
            {
                int[] p = PermOf(x);
                _values[y] = (Quantize(AsFloat(x, p), _m.Tensors[y].Quantization!, Name(y)), p);
                break;
            }

            case OpCode.Dequantize:
            {
                int[] p = PermOf(x);
                _values[y] = (AsFloat(x, p), p);
                break;
            }

            default:
                throw new QdqExportException($"node '{n.Name}' ({n.Op}): no QDQ ONNX form is written for this operator");
        }
    }

    /// <summary>
    /// The runtime's own fold y = a[c] * x + b[c] (a = scale / sqrt(var + eps), b = bias - a * mean, in double, rounded
    /// to fp32, as Ops/BatchNorm.cs does), written as scale a, bias b, mean 0, var 1, epsilon 0: ONNX Runtime then
    /// computes the very same fp32 a * x + b.
    /// </summary>
    /// <summary>
    /// ChannelClip as Max then Min with per-channel constants shaped to broadcast along the ONNX channel axis (a side whose
    /// bounds are all infinite is left out). For int8 the bounds are the grid values the runtime clamps to,
    /// s * (Q(bound) - z), so ONNX Runtime's float Max/Min between DequantizeLinear and QuantizeLinear lands on exactly the
    /// runtime's int8 result.
    /// </summary>
    private void ChannelClip(NodeDesc n)
    {
        int x = n.Inputs[0], y = n.Outputs[0];
        TensorDesc d = _m.Tensors[x];
        int rank = d.Shape.Length, channels = d.Shape[^1];
        int[] p = PermOf(x);
        long[] dims = [channels, .. Enumerable.Repeat(1L, rank - 1 - p[rank - 1])];
        float[] lo = ConstFloats(n.Inputs[1]), hi = ConstFloats(n.Inputs[2]);
        if (d.Type == DataType.Int8)
        {
            QuantizationInfo q = d.Quantization!;
            for (int c = 0; c < channels; c++)
            {
                (int l, int h) = QuantMath.ClampRange(lo[c], hi[c], q.Scale, q.ZeroPoint);
                lo[c] = float.IsNegativeInfinity(lo[c]) ? lo[c] : QuantMath.Dequantize(l, q.Scale, q.ZeroPoint);
                hi[c] = float.IsPositiveInfinity(hi[c]) ? hi[c] : QuantMath.Dequantize(h, q.Scale, q.ZeroPoint);
            }
        }

        string value = AsFloat(x, p);
        bool any = !lo.All(float.IsNegativeInfinity) || !hi.All(float.IsPositiveInfinity);
        if (!lo.All(float.IsNegativeInfinity))
        {
            value = _w.Node("Max", Name(y) + ".lo", [value, _w.Initializer(Name(y) + ".lo.bounds", lo, dims)]);
        }

        if (!hi.All(float.IsPositiveInfinity))
        {
            value = _w.Node("Min", Name(y) + ".hi", [value, _w.Initializer(Name(y) + ".hi.bounds", hi, dims)]);
        }

        Out(y, any ? value : _w.Node("Identity", Name(y), [value]), p);
    }

    private string[] FoldedBatchNorm(NodeDesc n, string name)
    {
        (double[] ad, double[] bd) = Passes.BatchNormAffine.Of(_m, n);
        float[] a = [.. ad.Select(v => (float)v)], b = [.. bd.Select(v => (float)v)];

        long[] dims = [a.Length];
        return [_w.Initializer(name + ".a", a, dims), _w.Initializer(name + ".b", b, dims), _w.Initializer(name + ".mean", new float[a.Length], dims),
            _w.Initializer(name + ".var", Enumerable.Repeat(1f, a.Length).ToArray(), dims)];
    }

    private float[] ConstFloats(int t) => Passes.GraphRewriter.Floats(_m, t);

    private void Unary(NodeDesc n, string op, params AttributeProto[] attributes)
    {
        int[] p = PermOf(n.Inputs[0]);
        Out(n.Outputs[0], _w.Node(op, Name(n.Outputs[0]), [AsFloat(n.Inputs[0], p)], attributes), p);
    }

    private string[] ConvInputs(NodeDesc n, int[] cl)
    {
        int wRank = _m.Tensors[n.Inputs[1]].Shape.Length;
        var oihw = new int[wRank]; // runtime OHWI [O, k.., I] -> ONNX OIHW [O, I, k..]
        oihw[0] = 0;
        oihw[1] = wRank - 1;
        for (int k = 2; k < wRank; k++)
        {
            oihw[k] = k - 1;
        }

        return [AsFloat(n.Inputs[0], cl), WeightsPermuted(n.Inputs[1], oihw), .. Bias(n)];
    }

    private string[] Bias(NodeDesc n) => n.Inputs.Length > 2 && n.Inputs[2] >= 0 ? [AsFloat(n.Inputs[2], Identity(1))] : [];

    private string Weights(int t, int[] perm) => AsFloat(t, perm);

    /// <summary>A constant whose ONNX form is the runtime data permuted by <paramref name="onnxFromRuntime"/> (onnx dim k = runtime dim perm[k]).</summary>
    private string WeightsPermuted(int t, int[] onnxFromRuntime)
    {
        var inverse = new int[onnxFromRuntime.Length];
        for (int k = 0; k < inverse.Length; k++)
        {
            inverse[onnxFromRuntime[k]] = k;
        }

        return AsFloat(t, inverse);
    }

    private static AttributeProto[] ConvAttributes(NodeDesc n, int rank, bool dilations)
    {
        int spatial = rank - 2;
        var a = new List<AttributeProto>();
        if (n.Find(AttributeKey.Strides) is { } s)
        {
            a.Add(Ints("strides", s.Ints));
        }

        if (dilations && n.Find(AttributeKey.Dilations) is { } d)
        {
            a.Add(Ints("dilations", d.Ints));
        }

        if (n.Find(AttributeKey.Group) is { } g)
        {
            a.Add(Int("group", g.Ints[0]));
        }

        AddPads(n, spatial, a);
        return [.. a];
    }

    private static void AddPads(NodeDesc n, int spatial, List<AttributeProto> a)
    {
        switch ((PadMode)(n.Find(AttributeKey.PadMode)?.Ints[0] ?? 0))
        {
            case PadMode.SameUpper:
                a.Add(String("auto_pad", "SAME_UPPER"));
                break;
            case PadMode.SameLower:
                a.Add(String("auto_pad", "SAME_LOWER"));
                break;
            case PadMode.Valid:
                a.Add(String("auto_pad", "VALID"));
                break;
            default:
                a.Add(Ints("pads", n.Find(AttributeKey.Pads)?.Ints ?? new int[2 * spatial])); // begins then ends, as ONNX
                break;
        }
    }

    private static AttributeProto[] PoolAttributes(NodeDesc n, int rank)
    {
        var a = new List<AttributeProto> { Ints("kernel_shape", n.Find(AttributeKey.KernelShape)!.Ints) };
        if (n.Find(AttributeKey.Strides) is { } s)
        {
            a.Add(Ints("strides", s.Ints));
        }

        if (n.Op == OpCode.MaxPool && n.Find(AttributeKey.Dilations) is { } d)
        {
            a.Add(Ints("dilations", d.Ints));
        }

        if (n.Op != OpCode.LpPool && n.Find(AttributeKey.CeilMode) is { } c)
        {
            a.Add(Int("ceil_mode", c.Ints[0]));
        }

        if (n.Op == OpCode.AveragePool && n.Find(AttributeKey.CountIncludePad) is { } cip)
        {
            a.Add(Int("count_include_pad", cip.Ints[0]));
        }

        if (n.Op == OpCode.LpPool)
        {
            a.Add(Int("p", n.Find(AttributeKey.P)?.Ints[0] ?? 2));
        }

        AddPads(n, rank - 2, a);
        return [.. a];
    }

    /// <summary>A fused activation as the ONNX node after the layer (int8: the clamp equals quantizing the activated value).</summary>
    private string Activation(NodeDesc n, string value)
    {
        string name = value + ".act";
        var activation = (FusedActivation)(n.Find(AttributeKey.Activation)?.Ints[0] ?? 0);
        if (activation is FusedActivation.Relu or FusedActivation.Relu6 or FusedActivation.Clip && _m.Tensors[n.Outputs[0]] is { Type: DataType.Int8 } y)
        {
            // An int8 clamp that covers the whole output range is no clamp at all (the runtime's is then [-128, 127]), nor is
            // one that a ChannelClip after it narrows in every channel; left out, it lets ONNX Runtime fuse the layer with its
            // QuantizeLinear into its int8 kernel instead of running it in float (Fashion-MNIST: 1.52 -> 0.54 ms).
            (float min, float max) = activation switch
            {
                FusedActivation.Relu => (0f, float.PositiveInfinity),
                FusedActivation.Relu6 => (0f, 6f),
                _ => (n.Find(AttributeKey.ActivationMin)?.Floats[0] ?? float.NegativeInfinity, n.Find(AttributeKey.ActivationMax)?.Floats[0] ?? float.PositiveInfinity),
            };
            (int lo, int hi) = QuantMath.ClampRange(min, max, y.Quantization!.Scale, y.Quantization.ZeroPoint);
            if ((lo, hi) == (-128, 127) || InsideChannelClip(n.Outputs[0], lo, hi))
            {
                return value;
            }
        }

        return activation switch
        {
            FusedActivation.None => value,
            FusedActivation.Relu => _w.Node("Relu", name, [value]),
            FusedActivation.Relu6 => _w.Node("Clip", name, [value, _w.Initializer(name + ".min", [0f], []), _w.Initializer(name + ".max", [6f], [])]),
            FusedActivation.Clip => _w.Node("Clip", name, [value, _w.Initializer(name + ".min", [n.Find(AttributeKey.ActivationMin)?.Floats[0] ?? float.NegativeInfinity], []),
                _w.Initializer(name + ".max", [n.Find(AttributeKey.ActivationMax)?.Floats[0] ?? float.PositiveInfinity], [])]),
            FusedActivation.LeakyRelu => _w.Node("LeakyRelu", name, [value], Float("alpha", n.Find(AttributeKey.Alpha)?.Floats[0] ?? 0.01f)),
            _ => _w.Node("HardSwish", name, [value]),
        };
    }

    /// <summary>
    /// Whether an int8 layer output is read only by a ChannelClip whose int8 bounds all lie inside the layer's own clamp
    /// [lo, hi] (a BatchNorm folded after the activation): clamp(clamp(v, lo, hi), l_c, h_c) = clamp(v, l_c, h_c), so the
    /// layer's clamp may be left out of the QDQ model without changing one value.
    /// </summary>
    private bool InsideChannelClip(int t, int lo, int hi)
    {
        List<NodeDesc> readers = _m.Nodes.Where(r => r.Inputs.Contains(t)).ToList();
        if (_m.Outputs.Contains(t) || readers.Count != 1 || readers[0].Op != OpCode.ChannelClip || readers[0].Inputs[0] != t)
        {
            return false;
        }

        QuantizationInfo q = _m.Tensors[t].Quantization!;
        float[] l = ConstFloats(readers[0].Inputs[1]), h = ConstFloats(readers[0].Inputs[2]);
        for (int c = 0; c < l.Length; c++)
        {
            (int lc, int hc) = QuantMath.ClampRange(l[c], h[c], q.Scale, q.ZeroPoint);
            if (lc < lo || hc > hi)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Records a node's float result for runtime tensor t: int8 tensors get their QuantizeLinear here.</summary>
    private void Out(int t, string floatValue, int[] perm)
    {
        TensorDesc d = _m.Tensors[t];
        _values[t] = (d.Type == DataType.Int8 ? Quantize(floatValue, d.Quantization!, Name(t) + ".q") : floatValue, perm);
    }

    private string Quantize(string value, QuantizationInfo q, string name) =>
        _w.Node("QuantizeLinear", name, [value, _w.Initializer(name + ".scale", [q.Scale], []), ZeroPoints(name + ".zero_point", [q.ZeroPoint], [])]);

    /// <summary>The runtime tensor as a float ONNX value in the wanted permutation (int8 values are dequantized).</summary>
    private string AsFloat(int t, int[] perm)
    {
        TensorDesc d = _m.Tensors[t];
        string v = Get(t, perm);
        if (d.Type == DataType.Float32)
        {
            return v;
        }

        if (_dequantized.TryGetValue(v, out string? done))
        {
            return done;
        }

        QuantizationInfo q = d.Quantization!;
        string name = v + ".dq";
        string scale, zero;
        var attributes = new List<AttributeProto>();
        if (q.IsPerTensor)
        {
            scale = _w.Initializer(name + ".scale", [q.Scale], []);
            zero = d.Type == DataType.Int32 ? _w.Initializer(name + ".zero_point", [q.ZeroPoint], []) : ZeroPoints(name + ".zero_point", [q.ZeroPoint], []);
        }
        else
        {
            int axis = q.Axis + (perm.Length - d.Shape.Length);
            attributes.Add(Int("axis", perm[axis])); // runtime axis k is ONNX axis perm[k]
            scale = _w.Initializer(name + ".scale", q.Scales, [q.Scales.Length]);
            zero = d.Type == DataType.Int32 ? _w.Initializer(name + ".zero_point", q.ZeroPoints, [q.Scales.Length])
                : ZeroPoints(name + ".zero_point", q.ZeroPoints, [q.Scales.Length]);
        }

        return _dequantized[v] = _w.Node("DequantizeLinear", name, [v, scale, zero], [.. attributes]);
    }

    /// <summary>
    /// The runtime tensor as an ONNX value (int8 stays int8) such that runtime = transpose(value, perm): a Transpose node is
    /// added (once) when the value is held in another permutation; constants are written permuted.
    /// </summary>
    private string Get(int t, int[] perm)
    {
        TensorDesc d = _m.Tensors[t];
        if (d.IsConstant)
        {
            return Constant(t, perm);
        }

        (string name, int[] held) = Held(t);
        if (held.SequenceEqual(perm))
        {
            return name;
        }

        // runtime = transpose(held_value, held) = transpose(transpose(held_value, r), perm)  =>  r[perm[k]] = held[k]
        var r = new int[perm.Length];
        for (int k = 0; k < perm.Length; k++)
        {
            r[perm[k]] = held[k];
        }

        string key = name + "|" + string.Join(',', r);
        if (!_transposed.TryGetValue(key, out string? transposed))
        {
            transposed = _transposed[key] = _w.Node("Transpose", name + ".t", [name], Ints("perm", r));
        }

        return transposed;
    }

    /// <summary>
    /// A runtime constant as an initializer, right-aligned to the rank of <paramref name="perm"/> (numpy broadcasting) and
    /// laid out so that runtime = transpose(initializer, perm).
    /// </summary>
    private string Constant(int t, int[] perm)
    {
        TensorDesc d = _m.Tensors[t];
        int r = perm.Length;
        if (d.Shape.Length > r)
        {
            throw new QdqExportException($"constant '{d.Name}' has rank {d.Shape.Length}, more than its consumer's {r}");
        }

        int[] padded = [.. Enumerable.Repeat(1, r - d.Shape.Length), .. d.Shape];
        var onnxShape = new int[r];
        for (int k = 0; k < r; k++)
        {
            onnxShape[perm[k]] = padded[k];
        }

        byte[] data = _m.ConstantData[t]!;
        int size = d.Type.SizeInBytes();
        byte[] permuted = PermuteBytes(data, size, padded, perm);
        long[] dims = onnxShape.Select(v => (long)v).ToArray();
        string name = d.Name + (perm.SequenceEqual(Identity(r)) ? "" : ".p");
        return d.Type switch
        {
            DataType.Float32 => _w.Initializer(name, MemoryMarshal.Cast<byte, float>(permuted).ToArray(), dims),
            DataType.Int32 => _w.Initializer(name, MemoryMarshal.Cast<byte, int>(permuted).ToArray(), dims),
            _ when _u8 => _w.Initializer(name, Array.ConvertAll(permuted, b => (byte)((sbyte)b + 128)), dims),
            _ => _w.Initializer(name, MemoryMarshal.Cast<byte, sbyte>(permuted).ToArray(), dims),
        };
    }

    /// <summary>int8 zero points in the chosen encoding (uint8: z + 128).</summary>
    private string ZeroPoints(string name, int[] zeroPoints, long[] dims) => _u8
        ? _w.Initializer(name, zeroPoints.Select(z => (byte)(z + 128)).ToArray(), dims)
        : _w.Initializer(name, zeroPoints.Select(z => (sbyte)z).ToArray(), dims);

    /// <summary>onnx[i] with onnx dim perm[k] = runtime dim k: element runtime[j] lands at the ONNX index of the same coordinates.</summary>
    private static byte[] PermuteBytes(byte[] data, int size, int[] runtimeShape, int[] perm)
    {
        int r = runtimeShape.Length;
        var onnxShape = new int[r];
        for (int k = 0; k < r; k++)
        {
            onnxShape[perm[k]] = runtimeShape[k];
        }

        var onnxStrides = new long[r];
        long s = 1;
        for (int k = r - 1; k >= 0; k--)
        {
            onnxStrides[k] = s;
            s *= onnxShape[k];
        }

        var result = new byte[data.Length];
        var index = new int[r];
        long count = data.Length / size;
        for (long j = 0; j < count; j++)
        {
            long dst = 0;
            for (int k = 0; k < r; k++)
            {
                dst += index[k] * onnxStrides[perm[k]];
            }

            Buffer.BlockCopy(data, (int)(j * size), result, (int)(dst * size), size);
            for (int k = r - 1; k >= 0 && ++index[k] == runtimeShape[k]; k--)
            {
                index[k] = 0;
            }
        }

        return result;
    }

    private (string Name, int[] Perm) Held(int t) =>
        _values[t] ?? throw new QdqExportException($"tensor '{_m.Tensors[t].Name}' is used before any node produced it");

    /// <summary>The permutation a value is held in (constants: identity at the given rank).</summary>
    private int[] PermOf(int t, int rank = -1) =>
        _m.Tensors[t].IsConstant ? Identity(rank < 0 ? _m.Tensors[t].Shape.Length : rank) : Held(t).Perm;

    private int Axis(NodeDesc n, int rank, int fallback)
    {
        int a = n.Find(AttributeKey.Axis)?.Ints[0] ?? fallback;
        return a < 0 ? a + rank : a;
    }

    private string Name(int t) => _m.Tensors[t].Name;

    private static int[] Identity(int rank) => Enumerable.Range(0, rank).ToArray();

    public static string Describe(ModelProto m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Graph.Node.Count} ONNX nodes ({m.Graph.Node.Count(n => string.Equals(n.OpType, "QuantizeLinear", StringComparison.Ordinal))} QuantizeLinear, " +
            $"{m.Graph.Node.Count(n => string.Equals(n.OpType, "DequantizeLinear", StringComparison.Ordinal))} DequantizeLinear), opset {Opset}");
}

/// <summary>How the int8 values of a QDQ export are written (see <see cref="QdqExporter"/>).</summary>
public enum QdqEncoding
{
    /// <summary>uint8 with zero points + 128: the same integers; ONNX Runtime's exact U8U8 kernels on x86.</summary>
    UInt8,

    /// <summary>int8 as in the .ecnn.</summary>
    Int8,
}
