using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Passes;

/// <summary>
/// A BatchNorm after a layer's fused ReLU / ReLU6 / Clip (Conv, ConvTranspose or Dense -> activation -> BatchNorm, the
/// activation fused by then) folds into the layer even though the activation sits between them: with the BatchNorm's
/// per-channel affine map y = a[c] * x + b[c] and the activation's clamp [l, h],
/// <code>
/// a * clamp(v, l, h) + b = clamp(a * v + b, a * l + b, a * h + b)   a &gt; 0
///                        = clamp(a * v + b, a * h + b, a * l + b)   a &lt; 0
///                        = b                                        a == 0
/// </code>
/// so the layer takes the weights a * W and bias a * bias + b (as the plain BatchNorm fold), its fused activation becomes the
/// Clip [min_c lo_c, max_c hi_c] that contains every channel's bounds, and a ChannelClip (OPERATORS.md) applies the
/// per-channel bounds. The layer's Clip changes no result (the ChannelClip alone reads the layer's output and clamps every
/// channel inside it) but keeps the layer's fp32 output inside the range its int8 output is quantized to, so the per-layer
/// error the converter measures (report, --keep-float auto) compares like with like. In int8 the layer and the clamp share
/// one output quantization (the quantizer gives the layer the clamp's), the ChannelClip is exact on the grid and the int8
/// BatchNorm (via fp32, and the ~5x amplification of a one-step input difference it brought) is gone. --emit-qdq leaves the
/// layer's Clip out where it is redundant, so ONNX Runtime still fuses the layer into its int8 kernel. The fold is computed
/// in double.
/// </summary>
internal static class ClampedBatchNormFold
{
    public static int Run(ModelDefinition m)
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
            if (layer is null || layer.Op is not (OpCode.Conv or OpCode.ConvTranspose or OpCode.Dense) || !GraphRewriter.IsPrivate(m, bn.Inputs[0])
                || Clamp(layer) is not (double l, double h) || !m.Tensors[layer.Inputs[1]].IsConstant
                || (layer.Inputs.Length > 2 && layer.Inputs[2] >= 0 && !m.Tensors[layer.Inputs[2]].IsConstant))
            {
                continue;
            }

            (double[] a, double[] b) = BatchNormAffine.Of(m, bn);
            if (!a.All(double.IsFinite) || !b.All(double.IsFinite))
            {
                continue; // a BatchNorm that divides by zero or carries infinities stays as it is
            }

            if (BatchNormAffine.FoldInto(m, layer, a, b) is not (float[] w, float[] bias))
            {
                continue;
            }

            TensorDesc wDesc = m.Tensors[layer.Inputs[1]];
            int channels = a.Length;
            var lo = new float[channels];
            var hi = new float[channels];
            for (int c = 0; c < channels; c++)
            {
                (lo[c], hi[c]) = a[c] > 0 ? ((float)Bound(a[c], l, b[c]), (float)Bound(a[c], h, b[c]))
                    : a[c] < 0 ? ((float)Bound(a[c], h, b[c]), (float)Bound(a[c], l, b[c]))
                    : ((float)b[c], (float)b[c]);
            }

            float min = lo.Min(), max = hi.Max();
            NodeAttribute[] activation = float.IsNegativeInfinity(min) && float.IsPositiveInfinity(max) ? []
                : [NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Clip), NodeAttribute.Float(AttributeKey.ActivationMin, min),
                   NodeAttribute.Float(AttributeKey.ActivationMax, max)];
            NodeAttribute[] attributes = [.. layer.Attributes.Where(a => a.Key is not (AttributeKey.Activation or AttributeKey.ActivationMin or AttributeKey.ActivationMax)), .. activation];
            int newW = GraphRewriter.AddConstant(m, wDesc.Name + ".bnfolded", w, wDesc.Shape);
            int newB = GraphRewriter.AddConstant(m, layer.Name + ".bias.bnfolded", bias, [channels]);
            int loT = GraphRewriter.AddConstant(m, bn.Name + ".lo", lo, [channels]);
            int hiT = GraphRewriter.AddConstant(m, bn.Name + ".hi", hi, [channels]);
            int li = m.Nodes.IndexOf(layer);
            m.Nodes[li] = GraphRewriter.With(layer, inputs: [layer.Inputs[0], newW, newB], attributes: attributes);
            m.Nodes[k] = new NodeDesc(OpCode.ChannelClip, bn.Name, [layer.Outputs[0], loT, hiT], bn.Outputs, []);
            count++;
        }

        return count;
    }

    /// <summary>
    /// ChannelClip after ChannelClip (an imported Max then Min, as --emit-qdq writes one) is one ChannelClip:
    /// clamp(clamp(x, l1, h1), l2, h2) = clamp(x, max(l1, l2), min(h1, h2)) where the intervals overlap in every channel.
    /// </summary>
    public static int MergeChained(ModelDefinition m)
    {
        int count = 0;
        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc second = m.Nodes[k];
            if (second.Op != OpCode.ChannelClip || m.Tensors[second.Inputs[0]].Type != DataType.Float32
                || GraphRewriter.Producer(m, second.Inputs[0]) is not { Op: OpCode.ChannelClip } first || !GraphRewriter.IsPrivate(m, second.Inputs[0]))
            {
                continue;
            }

            float[] l1 = GraphRewriter.Floats(m, first.Inputs[1]), h1 = GraphRewriter.Floats(m, first.Inputs[2]);
            float[] l2 = GraphRewriter.Floats(m, second.Inputs[1]), h2 = GraphRewriter.Floats(m, second.Inputs[2]);
            float[] lo = l1.Zip(l2, Math.Max).ToArray(), hi = h1.Zip(h2, Math.Min).ToArray();
            if (lo.Zip(hi).Any(p => !(p.First <= p.Second)))
            {
                continue;
            }

            int loT = GraphRewriter.AddConstant(m, second.Name + ".lo", lo, [lo.Length]);
            int hiT = GraphRewriter.AddConstant(m, second.Name + ".hi", hi, [hi.Length]);
            m.Nodes[m.Nodes.IndexOf(first)] = new NodeDesc(OpCode.ChannelClip, first.Name, [first.Inputs[0], loT, hiT], second.Outputs, []);
            m.Nodes.RemoveAt(k);
            k = -1; // rescan: a third clamp may follow
            count++;
        }

        return count;
    }

    /// <summary>The clamp [l, h] of a layer's fused ReLU / ReLU6 / Clip, or null for none or another activation.</summary>
    private static (double Low, double High)? Clamp(NodeDesc layer) => (FusedActivation?)layer.Find(AttributeKey.Activation)?.Ints[0] switch
    {
        FusedActivation.Relu => (0, double.PositiveInfinity),
        FusedActivation.Relu6 => (0, 6),
        FusedActivation.Clip => (layer.Find(AttributeKey.ActivationMin)?.Floats[0] ?? float.NegativeInfinity,
            layer.Find(AttributeKey.ActivationMax)?.Floats[0] ?? float.PositiveInfinity),
        _ => null,
    };

    /// <summary>a * x + b for a != 0, with a * (+-inf) the infinity of its sign.</summary>
    private static double Bound(double a, double x, double b) => double.IsInfinity(x) ? Math.Sign(a) * x : (a * x) + b;
}
