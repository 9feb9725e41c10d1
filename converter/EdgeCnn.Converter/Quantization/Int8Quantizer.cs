using System.Runtime.InteropServices;
using EdgeCnn.Converter.Passes;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Converter.Quantization;

/// <summary>
/// Rewrites an fp32 runtime graph into int8 with calibrated activation ranges: per-channel symmetric weights, int32
/// bias, per-tensor asymmetric activations, fused activations as output clamps (all by the runtime's own int8 operators,
/// so the runtime checks every rule). Layers that cannot or should not be int8 stay fp32 with Quantize / Dequantize at the
/// boundaries; graph inputs and outputs stay fp32, so code feeding the model does not change.
/// </summary>
public sealed class Int8Quantizer
{
    private readonly ModelDefinition _fp32;
    private readonly TensorStatistics?[] _stats;
    private readonly QuantizerOptions _options;
    private readonly ModelBuilder _b = new();
    private readonly TensorRef?[] _int8;
    private readonly TensorRef?[] _float;
    private readonly QuantizationInfo?[] _chosen;
    private readonly (float Low, float High)[] _ranges;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<int> _graphOutputs;
    private int _quantizeNodes;
    private int _dequantizeNodes;

    private Int8Quantizer(ModelDefinition fp32, TensorStatistics?[] stats, QuantizerOptions options)
    {
        _fp32 = fp32;
        _stats = stats;
        _options = options;
        _int8 = new TensorRef?[fp32.Tensors.Count];
        _float = new TensorRef?[fp32.Tensors.Count];
        _chosen = new QuantizationInfo?[fp32.Tensors.Count];
        _ranges = new (float, float)[fp32.Tensors.Count];
        _graphOutputs = [.. fp32.Outputs];
    }

    /// <param name="fp32">The converted, optimized fp32 model.</param>
    /// <param name="stats">Calibration statistics by tensor index of <paramref name="fp32"/> (null for constants).</param>
    public static QuantizedModel Quantize(ModelDefinition fp32, TensorStatistics?[] stats, QuantizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(stats);
        if (stats.Length != fp32.Tensors.Count)
        {
            throw new ArgumentException($"statistics for {stats.Length} tensors; the model has {fp32.Tensors.Count}", nameof(stats));
        }

        return new Int8Quantizer(fp32, stats, options ?? new QuantizerOptions()).Run();
    }

    private QuantizedModel Run()
    {
        foreach (int i in _fp32.Inputs)
        {
            TensorDesc d = _fp32.Tensors[i];
            _float[i] = _b.Input(Unique(d.Name), d.Type, d.Shape, d.Quantization);
        }

        var layers = new List<QuantizedLayer>();
        for (int k = 0; k < _fp32.Nodes.Count; k++)
        {
            NodeDesc node = _fp32.Nodes[k];
            string? reason = Int8Blocker(node);
            bool int8 = reason is null;
            if (int8)
            {
                try
                {
                    EmitInt8(node);
                }
                catch (OpValidationException e)
                {
                    reason = $"the runtime's int8 {node.Op} rejects it: {e.Message}";
                    int8 = false;
                }
            }

            if (!int8)
            {
                EmitFloat(node);
            }

            int y = node.Outputs[0];
            (float lo, float hi) = _ranges[y];
            QuantizationInfo? q = int8 ? _chosen[y] : null;
            TensorRef held = (int8 ? _int8[y] : _float[y])!.Value;
            layers.Add(new QuantizedLayer(k, node.Name, node.Op, int8 ? LayerPrecision.Int8 : LayerPrecision.Fp32, reason, y, held.Index,
                _stats[y]?.Min ?? 0f, _stats[y]?.Max ?? 0f, lo, hi, q?.Scale ?? 0f, q?.ZeroPoint ?? 0));
        }

        foreach (int o in _fp32.Outputs)
        {
            _b.Output(Float(o));
        }

        foreach (KeyValuePair<string, string> kv in _fp32.Metadata)
        {
            _b.Definition.Metadata.Add(kv);
        }

        ModelDefinition pruned = RemoveDeadNodes(_b.Definition);
        int[] remap = TensorMap(_b.Definition, pruned);
        layers = layers.ConvertAll(l => l with { MixedTensor = remap[l.MixedTensor] });
        int Map(TensorRef? r) => r is { } t ? remap[t.Index] : -1;
        return new QuantizedModel(pruned, layers, _quantizeNodes, _dequantizeNodes, _int8.Select(Map).ToArray(), _float.Select(Map).ToArray());
    }

    /// <summary>Why a node stays fp32 before anything is tried, or null.</summary>
    private string? Int8Blocker(NodeDesc node)
    {
        if (_options.KeepFloat.TryGetValue(node.Name, out string? why))
        {
            return why;
        }

        if (node.Op is OpCode.Quantize or OpCode.Dequantize)
        {
            return "a quantization boundary of the source model";
        }

        if (node.Outputs.Length != 1)
        {
            return "multi-output nodes are kept fp32";
        }

        if (node.Inputs.Any(i => i >= 0 && _fp32.Tensors[i].Type != DataType.Float32))
        {
            return "takes non-fp32 inputs";
        }

        if (QuantParams.FollowsInput(node.Op) && node.Inputs[0] >= 0 && _int8[node.Inputs[0]] is null && !_fp32.Tensors[node.Inputs[0]].IsConstant)
        {
            return "moves data only: follows its fp32 input";
        }

        if (QuantParams.IsWeighted(node.Op) && !_fp32.Tensors[node.Inputs[1]].IsConstant)
        {
            return "weights are not constant";
        }

        if (_stats[node.Outputs[0]] is not { HasValues: true })
        {
            return "calibration saw no values of its output";
        }

        return null;
    }

    private void EmitInt8(NodeDesc node)
    {
        int y = node.Outputs[0];
        TensorRef?[] inputs;
        QuantizationInfo outQ;
        if (QuantParams.IsWeighted(node.Op))
        {
            TensorRef x = Int8(node.Inputs[0]);
            QuantizationInfo qx = _b.Desc(x).Quantization!;
            TensorDesc wd = _fp32.Tensors[node.Inputs[1]];
            int axis = QuantParams.WeightAxis(node.Op);
            (sbyte[] wq, float[] ws) = QuantParams.Weights(Floats(node.Inputs[1]), wd.Shape, axis);
            TensorRef w = _b.Constant(Unique(wd.Name + ".int8"), wq, wd.Shape, QuantizationInfo.PerAxis(ws, axis));
            TensorRef? bias = null;
            if (node.Inputs.Length > 2 && node.Inputs[2] >= 0)
            {
                TensorDesc bd = _fp32.Tensors[node.Inputs[2]];
                bias = _b.Constant(Unique(bd.Name + ".int32"), QuantParams.Bias(Floats(node.Inputs[2]), qx.Scale, ws), bd.Shape,
                    new QuantizationInfo(ws.Select(s => (float)((double)qx.Scale * s)).ToArray(), new int[ws.Length], bd.Shape.Length - 1));
            }

            inputs = bias is null ? [x, w] : [x, w, bias];
            outQ = ClampedBy(y) is { } clamp ? SharedWithClamp(y, clamp) : Calibrated(y);
        }
        else
        {
            inputs = new TensorRef?[node.Inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                int t = node.Inputs[i];
                inputs[i] = t < 0 ? null
                    : _fp32.Tensors[t].IsConstant && !QuantParams.QuantizesConstantInputs(node.Op) ? Float(t)
                    : Int8(t);
            }

            outQ = node.Op == OpCode.Softmax ? QuantizationInfo.PerTensor(1f / 256f, -128)
                : QuantParams.KeepsInputQuantization(node.Op) ? _b.Desc(inputs[0]!.Value).Quantization!
                : Calibrated(y);
            if (QuantParams.KeepsInputQuantization(node.Op) || node.Op == OpCode.Softmax)
            {
                _ranges[y] = ((outQ.Scale * (-128 - outQ.ZeroPoint)), outQ.Scale * (127 - outQ.ZeroPoint));
            }
        }

        string name = _graphOutputs.Contains(y) ? Unique(node.Name + ".int8") : Unique(node.Name);
        _int8[y] = _b.Node(node.Op, inputs, node.Attributes, outQ, name);
        _chosen[y] = outQ;
    }

    private void EmitFloat(NodeDesc node)
    {
        var inputs = new TensorRef?[node.Inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = node.Inputs[i] < 0 ? null : Float(node.Inputs[i]);
        }

        TensorRef first = _b.Node(node.Op, inputs, node.Attributes, null, Unique(node.Name));
        for (int o = 0; o < node.Outputs.Length; o++)
        {
            _float[node.Outputs[o]] = new TensorRef(first.Index + o); // the builder adds a node's outputs consecutively
        }

        if (_stats[node.Outputs[0]] is { HasValues: true })
        {
            _ranges[node.Outputs[0]] = RangeSelector.Select(_stats[node.Outputs[0]]!, _options.Method, _options.Percentile);
        }
    }

    /// <summary>The ChannelClip that alone reads a layer's output (a BatchNorm folded after its activation), or null.</summary>
    private NodeDesc? ClampedBy(int t)
    {
        List<NodeDesc> readers = GraphRewriter.Consumers(_fp32, t);
        return readers.Count == 1 && readers[0].Op == OpCode.ChannelClip && readers[0].Inputs[0] == t && !_graphOutputs.Contains(t)
            && _stats[readers[0].Outputs[0]] is { HasValues: true } ? readers[0] : null;
    }

    /// <summary>
    /// A layer followed by its per-channel clamp takes the clamp's output quantization (the post-clamp range): the clamp
    /// keeps its input's quantization, so both share it and the int8 clamp is exact (OPERATORS.md ChannelClip).
    /// </summary>
    private QuantizationInfo SharedWithClamp(int y, NodeDesc clamp)
    {
        QuantizationInfo q = Calibrated(clamp.Outputs[0]);
        _ranges[y] = _ranges[clamp.Outputs[0]];
        _chosen[y] = q;
        return q;
    }

    /// <summary>The calibrated int8 quantization of an fp32 activation (chosen once per tensor).</summary>
    private QuantizationInfo Calibrated(int t)
    {
        if (_chosen[t] is { } q)
        {
            return q;
        }

        TensorStatistics s = _stats[t] is { HasValues: true } st ? st
            : throw new OpValidationException($"tensor '{_fp32.Tensors[t].Name}' was never seen during calibration");
        _ranges[t] = RangeSelector.Select(s, _options.Method, _options.Percentile);
        _chosen[t] = QuantParams.Activation(_ranges[t].Low, _ranges[t].High);
        return _chosen[t]!;
    }

    /// <summary>The value as int8: produced so, or quantized (a constant at conversion, an activation by a Quantize node).</summary>
    private TensorRef Int8(int t)
    {
        if (_int8[t] is { } q)
        {
            return q;
        }

        TensorDesc d = _fp32.Tensors[t];
        if (d.IsConstant)
        {
            (sbyte[] values, QuantizationInfo cq) = QuantParams.Constant(Floats(t));
            _int8[t] = _b.Constant(Unique(d.Name + ".int8"), values, d.Shape, cq);
            _chosen[t] = cq;
        }
        else
        {
            _int8[t] = _b.Quantize(Float(t), Calibrated(t), Unique(d.Name + ".quantize"));
            _quantizeNodes++;
        }

        return _int8[t]!.Value;
    }

    /// <summary>The value as fp32: produced so, a constant, or dequantized from its int8 form.</summary>
    private TensorRef Float(int t)
    {
        if (_float[t] is { } f)
        {
            return f;
        }

        TensorDesc d = _fp32.Tensors[t];
        if (d.IsConstant)
        {
            byte[] bytes = _fp32.ConstantData[t]!;
            _float[t] = d.Type switch
            {
                DataType.Float32 => _b.Constant(Unique(d.Name), MemoryMarshal.Cast<byte, float>(bytes).ToArray(), d.Shape),
                DataType.Int32 => _b.Constant(Unique(d.Name), MemoryMarshal.Cast<byte, int>(bytes).ToArray(), d.Shape, d.Quantization),
                _ => _b.Constant(Unique(d.Name), MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray(), d.Shape, d.Quantization!),
            };
        }
        else
        {
            _float[t] = _b.Dequantize(_int8[t]!.Value, _graphOutputs.Contains(t) ? Unique(d.Name) : Unique(d.Name + ".dequantize"));
            _dequantizeNodes++;
        }

        return _float[t]!.Value;
    }

    private float[] Floats(int t) => Passes.GraphRewriter.Floats(_fp32, t);

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }

    /// <summary>Drops nodes whose outputs nothing reads (a Quantize made for a layer that then fell back to fp32).</summary>
    private static ModelDefinition RemoveDeadNodes(ModelDefinition m)
    {
        bool removed = true;
        while (removed)
        {
            removed = false;
            for (int k = m.Nodes.Count - 1; k >= 0; k--)
            {
                NodeDesc n = m.Nodes[k];
                if (n.Outputs.All(o => !m.Outputs.Contains(o) && GraphRewriter.Consumers(m, o).Count == 0))
                {
                    m.Nodes.RemoveAt(k);
                    removed = true;
                }
            }
        }

        return GraphRewriter.Compact(m);
    }

    /// <summary>Old tensor index to new after Compact (by identity of the TensorDesc).</summary>
    private static int[] TensorMap(ModelDefinition before, ModelDefinition after)
    {
        var index = new Dictionary<TensorDesc, int>(ReferenceEqualityComparer.Instance);
        for (int t = 0; t < after.Tensors.Count; t++)
        {
            index[after.Tensors[t]] = t;
        }

        return before.Tensors.Select(d => index.TryGetValue(d, out int t) ? t : -1).ToArray();
    }
}
