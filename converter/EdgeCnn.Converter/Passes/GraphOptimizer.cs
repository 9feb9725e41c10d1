using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Passes;

/// <summary>What the optimizer did, for the conversion summary.</summary>
public sealed record OptimizationReport(int BatchNormsFolded, int ActivationsFused, int PadsFused = 0, int BiasesFolded = 0, int ClampedBatchNormsFolded = 0);

/// <summary>
/// Rewrites the converted runtime graph so it computes the same with fewer nodes: zero padding fused into the Conv after
/// it, batch norm folded into the weights of the Conv / ConvTranspose / Dense before it, then element-wise activations
/// fused into those layers as output functions, and last a batch norm after such a fused ReLU / ReLU6 / Clip folded into
/// the layer with a per-channel clamp (ClampedBatchNormFold).
/// Only fp32 layers whose output feeds nothing else are touched.
/// </summary>
public static class GraphOptimizer
{
    public static (ModelDefinition Model, OptimizationReport Report) Optimize(ModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int pads = FusePads(model);
        int biases = FoldBiasAdds(model);
        int folded = FoldBatchNorms(model);
        int fused = FuseActivations(model);
        int clamped = ClampedBatchNormFold.Run(model);
        ClampedBatchNormFold.MergeChained(model);
        return (GraphRewriter.Compact(model), new OptimizationReport(folded, fused, pads, biases, clamped));
    }

    private static bool IsWeighted(NodeDesc n) => n.Op is OpCode.Conv or OpCode.ConvTranspose or OpCode.Dense;

    /// <summary>
    /// y = a[c] * layer(x) + b[c] with a = scale / sqrt(var + eps), b = bias - a * mean, so the layer's weights for output
    /// channel c scale by a[c] and its bias becomes a[c] * bias[c] + b[c]. The fold is computed in double.
    /// </summary>
    private static int FoldBatchNorms(ModelDefinition m)
    {
        int count = 0;
        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc bn = m.Nodes[k];
            if (bn.Op != OpCode.BatchNorm || m.Tensors[bn.Inputs[0]].Type != DataType.Float32)
            {
                continue;
            }

            NodeDesc? layer = GraphRewriter.Producer(m, bn.Inputs[0]);
            if (layer is null || !IsWeighted(layer) || !GraphRewriter.IsPrivate(m, bn.Inputs[0]) || layer.Find(AttributeKey.Activation) is not null
                || !m.Tensors[layer.Inputs[1]].IsConstant || (layer.Inputs.Length > 2 && layer.Inputs[2] >= 0 && !m.Tensors[layer.Inputs[2]].IsConstant))
            {
                continue;
            }

            (double[] a, double[] b) = BatchNormAffine.Of(m, bn);
            if (BatchNormAffine.FoldInto(m, layer, a, b) is not (float[] w, float[] bias))
            {
                continue;
            }

            TensorDesc wDesc = m.Tensors[layer.Inputs[1]];
            int channels = a.Length;
            int newW = GraphRewriter.AddConstant(m, wDesc.Name + ".bnfolded", w, wDesc.Shape);
            int newB = GraphRewriter.AddConstant(m, layer.Name + ".bias.bnfolded", bias, [channels]);
            int li = m.Nodes.IndexOf(layer);
            m.Nodes[li] = GraphRewriter.With(layer, inputs: [layer.Inputs[0], newW, newB], outputs: [bn.Outputs[0]]);
            m.Nodes.RemoveAt(k);
            k--;
            count++;
        }

        return count;
    }

    /// <summary>
    /// A zero-valued constant Pad on the spatial axes only, feeding an explicitly padded fp32 Conv, is the Conv with larger
    /// pads: zero taps contribute nothing either way.
    /// </summary>
    private static int FusePads(ModelDefinition m)
    {
        int count = 0;
        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc conv = m.Nodes[k];
            if (conv.Op != OpCode.Conv || m.Tensors[conv.Inputs[0]].Type != DataType.Float32
                || (conv.Find(AttributeKey.PadMode)?.Ints[0] ?? (int)PadMode.Explicit) != (int)PadMode.Explicit)
            {
                continue;
            }

            NodeDesc? pad = GraphRewriter.Producer(m, conv.Inputs[0]);
            if (pad is null || pad.Op != OpCode.Pad || !GraphRewriter.IsPrivate(m, conv.Inputs[0])
                || (pad.Find(AttributeKey.Mode)?.Ints[0] ?? (int)PadFill.Constant) != (int)PadFill.Constant
                || (pad.Find(AttributeKey.Value)?.Floats[0] ?? 0f) != 0f)
            {
                continue;
            }

            int rank = m.Tensors[pad.Inputs[0]].Shape.Length, spatial = rank - 2;
            int[] padPads = pad.Find(AttributeKey.Pads)!.Ints;
            bool spatialOnly = padPads.All(p => p >= 0) && padPads[0] == 0 && padPads[rank - 1] == 0 && padPads[rank] == 0 && padPads[(2 * rank) - 1] == 0;
            if (!spatialOnly)
            {
                continue;
            }

            int[] convPads = conv.Find(AttributeKey.Pads)?.Ints ?? new int[2 * spatial];
            var merged = new int[2 * spatial];
            for (int d = 0; d < spatial; d++)
            {
                merged[d] = convPads[d] + padPads[1 + d];
                merged[spatial + d] = convPads[spatial + d] + padPads[rank + 1 + d];
            }

            NodeAttribute[] attributes = [.. conv.Attributes.Where(a => a.Key != AttributeKey.Pads), NodeAttribute.IntList(AttributeKey.Pads, merged)];
            m.Nodes[k] = GraphRewriter.With(conv, inputs: [pad.Inputs[0], .. conv.Inputs[1..]], attributes: attributes);
            m.Nodes.Remove(pad);
            k = -1; // indices shifted; rescan (graphs are small and each fusion removes a node)
            count++;
        }

        return count;
    }

    /// <summary>
    /// Layer, then Add of a constant that varies only along the output channels (older exporters emit the bias so): the
    /// constant joins the layer's bias.
    /// </summary>
    private static int FoldBiasAdds(ModelDefinition m)
    {
        int count = 0;
        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc add = m.Nodes[k];
            if (add.Op != OpCode.Add || m.Tensors[add.Inputs[0]].Type != DataType.Float32)
            {
                continue;
            }

            int layerSide = m.Tensors[add.Inputs[1]].IsConstant ? 0 : m.Tensors[add.Inputs[0]].IsConstant ? 1 : -1;
            if (layerSide < 0)
            {
                continue;
            }

            int activation = add.Inputs[layerSide], constant = add.Inputs[1 - layerSide];
            NodeDesc? layer = GraphRewriter.Producer(m, activation);
            int[] outShape = m.Tensors[activation].Shape, cShape = m.Tensors[constant].Shape;
            bool perChannel = cShape.Length <= outShape.Length && cShape.Length > 0 && cShape[^1] == outShape[^1]
                && cShape[..^1].All(d => d == 1);
            if (layer is null || !IsWeighted(layer) || !perChannel || layer.Find(AttributeKey.Activation) is not null
                || !GraphRewriter.IsPrivate(m, activation) || !ShapeMath.SameShape(outShape, m.Tensors[add.Outputs[0]].Shape)
                || (layer.Inputs.Length > 2 && layer.Inputs[2] >= 0 && !m.Tensors[layer.Inputs[2]].IsConstant))
            {
                continue;
            }

            int channels = outShape[^1];
            float[] extra = GraphRewriter.Floats(m, constant);
            float[] bias = layer.Inputs.Length > 2 && layer.Inputs[2] >= 0 ? GraphRewriter.Floats(m, layer.Inputs[2]) : new float[channels];
            for (int c = 0; c < channels; c++)
            {
                bias[c] += extra[c];
            }

            int newB = GraphRewriter.AddConstant(m, layer.Name + ".bias.folded", bias, [channels]);
            int li = m.Nodes.IndexOf(layer);
            m.Nodes[li] = GraphRewriter.With(layer, inputs: [layer.Inputs[0], layer.Inputs[1], newB], outputs: [add.Outputs[0]]);
            m.Nodes.RemoveAt(k);
            k--;
            count++;
        }

        return count;
    }

    private static int FuseActivations(ModelDefinition m)
    {
        int count = 0;
        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc act = m.Nodes[k];
            NodeAttribute[]? fused = FusedAttributes(act);
            if (fused is null || m.Tensors[act.Inputs[0]].Type != DataType.Float32)
            {
                continue;
            }

            NodeDesc? layer = GraphRewriter.Producer(m, act.Inputs[0]);
            if (layer is null || !IsWeighted(layer) || layer.Find(AttributeKey.Activation) is not null || !GraphRewriter.IsPrivate(m, act.Inputs[0]))
            {
                continue;
            }

            int li = m.Nodes.IndexOf(layer);
            m.Nodes[li] = GraphRewriter.With(layer, outputs: [act.Outputs[0]], attributes: [.. layer.Attributes, .. fused]);
            m.Nodes.RemoveAt(k);
            k--;
            count++;
        }

        return count;
    }

    /// <summary>The Conv/Dense attributes that express an activation node, or null for ops that do not fuse.</summary>
    private static NodeAttribute[]? FusedAttributes(NodeDesc act) => act.Op switch
    {
        OpCode.Relu => [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Relu)],
        OpCode.Clip => ClipAttributes(act),
        OpCode.LeakyRelu => [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.LeakyRelu),
            NodeAttribute.Float(AttributeKey.Alpha, act.Find(AttributeKey.Alpha)?.Floats[0] ?? 0.01f)],
        OpCode.HardSwish => [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.HardSwish)],
        _ => null,
    };

    private static NodeAttribute[]? ClipAttributes(NodeDesc act)
    {
        float min = act.Find(AttributeKey.Min)?.Floats[0] ?? float.NegativeInfinity;
        float max = act.Find(AttributeKey.Max)?.Floats[0] ?? float.PositiveInfinity;
        if (min > max)
        {
            return null; // Clip's min > max rule (all outputs = max) is not a fused clamp's
        }

        return min == 0f && max == 6f
            ? [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Relu6)]
            : [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Clip), NodeAttribute.Float(AttributeKey.ActivationMin, min),
               NodeAttribute.Float(AttributeKey.ActivationMax, max)];
    }
}
