using System.Runtime.InteropServices;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Converter.Passes;

/// <summary>
/// Turns the QDQ form of a pre-quantized model into int8 layers: an fp32 node whose computed inputs all come from
/// Dequantize nodes and whose output feeds only a Quantize becomes the runtime's int8 op on the int8 inputs, producing the
/// Quantize's output with its quantization. Weights take the model's own scales when they came from DequantizeLinear
/// (symmetric), else per-channel symmetric scales of their own; biases become int32 in s_x * s_w units. A node the
/// runtime's int8 op rejects stays fp32 between its Dequantize and Quantize, which is still correct.
/// </summary>
public static class QdqFusion
{
    public static (ModelDefinition Model, int Fused) Fuse(ModelDefinition m, IReadOnlyDictionary<TensorDesc, QuantizationInfo> weightQuantization)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(weightQuantization);
        MoveDequantizeAfterDataMovement(m);
        int fused = 0;
        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc n = m.Nodes[k];
            if (n.Op is OpCode.Quantize or OpCode.Dequantize || n.Outputs.Length != 1 || m.Outputs.Contains(n.Outputs[0]))
            {
                continue;
            }

            List<NodeDesc> consumers = GraphRewriter.Consumers(m, n.Outputs[0]);
            if (consumers.Count != 1 || consumers[0].Op != OpCode.Quantize)
            {
                continue;
            }

            NodeDesc quantize = consumers[0];
            if (TryInt8(m, n, quantize.Outputs[0], weightQuantization) is { } replacement)
            {
                m.Nodes[k] = replacement;
                m.Nodes.Remove(quantize);
                fused++;
            }
        }

        for (bool removed = true; removed;)
        {
            removed = false;
            for (int k = m.Nodes.Count - 1; k >= 0; k--)
            {
                if (m.Nodes[k].Op == OpCode.Dequantize && GraphRewriter.Consumers(m, m.Nodes[k].Outputs[0]).Count == 0 && !m.Outputs.Contains(m.Nodes[k].Outputs[0]))
                {
                    m.Nodes.RemoveAt(k);
                    removed = true;
                }
            }
        }

        return (GraphRewriter.Compact(m), fused);
    }

    /// <summary>
    /// Dequantize -> Transpose / Reshape / Flatten / ... (layout changes the converter inserts, or the model's own) becomes
    /// the same data movement on the int8 value, then Dequantize: the values are identical and the op after it now sees a
    /// Dequantize directly.
    /// </summary>
    private static void MoveDequantizeAfterDataMovement(ModelDefinition m)
    {
        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc move = m.Nodes[k];
            if (!QuantParams.FollowsInput(move.Op) || move.Outputs.Length != 1 || GraphRewriter.Producer(m, move.Inputs[0]) is not { Op: OpCode.Dequantize } dq
                || m.Tensors[dq.Inputs[0]].Type != DataType.Int8 || !m.Tensors[dq.Inputs[0]].Quantization!.IsPerTensor)
            {
                continue;
            }

            TensorDesc y = m.Tensors[move.Outputs[0]];
            int moved = m.AddTensor(new TensorDesc(y.Name + ".int8", DataType.Int8, y.Shape, m.Tensors[dq.Inputs[0]].Quantization));
            m.Nodes[k] = new NodeDesc(move.Op, move.Name, [dq.Inputs[0], .. move.Inputs[1..]], [moved], move.Attributes);
            m.Nodes.Insert(k + 1, new NodeDesc(OpCode.Dequantize, move.Name + ".dequantize", [moved], [move.Outputs[0]], []));
        }
    }

    private static NodeDesc? TryInt8(ModelDefinition m, NodeDesc n, int output, IReadOnlyDictionary<TensorDesc, QuantizationInfo> weightQuantization)
    {
        int[] inputs = [.. n.Inputs];
        bool weighted = QuantParams.IsWeighted(n.Op);
        for (int i = 0; i < inputs.Length; i++)
        {
            int t = inputs[i];
            if (t < 0 || m.Tensors[t].IsConstant)
            {
                continue;
            }

            NodeDesc? producer = GraphRewriter.Producer(m, t);
            if (producer is not { Op: OpCode.Dequantize } || m.Tensors[producer.Inputs[0]].Type != DataType.Int8 || !m.Tensors[producer.Inputs[0]].Quantization!.IsPerTensor)
            {
                return null;
            }

            inputs[i] = producer.Inputs[0];
        }

        if (weighted)
        {
            if (!m.Tensors[inputs[1]].IsConstant || m.Tensors[inputs[0]].IsConstant)
            {
                return null;
            }

            TensorDesc wd = m.Tensors[inputs[1]];
            float[] w = GraphRewriter.Floats(m, inputs[1]);
            int axis = QuantParams.WeightAxis(n.Op);
            float[] scales;
            sbyte[] q;
            if (weightQuantization.TryGetValue(wd, out QuantizationInfo? own) && (own.IsPerTensor || own.Axis == axis))
            {
                scales = own.IsPerTensor ? Enumerable.Repeat(own.Scale, wd.Shape[axis]).ToArray() : own.Scales;
                q = QuantizeWith(w, wd.Shape, axis, scales);
            }
            else
            {
                (q, scales) = QuantParams.Weights(w, wd.Shape, axis);
            }

            inputs[1] = m.AddTensor(new TensorDesc(wd.Name + ".int8", DataType.Int8, wd.Shape, QuantizationInfo.PerAxis(scales, axis)),
                MemoryMarshal.AsBytes(q.AsSpan()).ToArray());
            if (inputs.Length > 2 && inputs[2] >= 0)
            {
                TensorDesc bd = m.Tensors[inputs[2]];
                float sx = m.Tensors[inputs[0]].Quantization!.Scale;
                int[] b = QuantParams.Bias(GraphRewriter.Floats(m, inputs[2]), sx, scales);
                inputs[2] = m.AddTensor(new TensorDesc(bd.Name + ".int32", DataType.Int32, bd.Shape,
                    new QuantizationInfo(scales.Select(s => (float)((double)sx * s)).ToArray(), new int[scales.Length], bd.Shape.Length - 1)),
                    MemoryMarshal.AsBytes(b.AsSpan()).ToArray());
            }
        }
        else
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                if (inputs[i] >= 0 && m.Tensors[inputs[i]].IsConstant && QuantParams.QuantizesConstantInputs(n.Op) && m.Tensors[inputs[i]].Type == DataType.Float32)
                {
                    TensorDesc cd = m.Tensors[inputs[i]];
                    (sbyte[] values, QuantizationInfo cq) = QuantParams.Constant(GraphRewriter.Floats(m, inputs[i]));
                    inputs[i] = m.AddTensor(new TensorDesc(cd.Name + ".int8", DataType.Int8, cd.Shape, cq), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
                }
            }
        }

        var candidate = new NodeDesc(n.Op, n.Name, inputs, [output], n.Attributes);
        try
        {
            var ctx = new InferContext(candidate, inputs.Select(i => i >= 0 ? m.Tensors[i] : null).ToArray(), [m.Tensors[output]]);
            OpRegistry.Get(n.Op).Infer(ctx);
            return ctx.OutputTypes[0] == DataType.Int8 && ShapeMath.SameShape(ctx.OutputShapes[0], m.Tensors[output].Shape) ? candidate : null;
        }
        catch (OpValidationException)
        {
            return null; // the runtime has no int8 form for it: it stays fp32 between its Dequantize and Quantize
        }
    }

    /// <summary>q = round_half_even(w / s_c) in [-127, 127]: exact for weights that were q * s_c to begin with.</summary>
    private static sbyte[] QuantizeWith(float[] w, int[] shape, int axis, float[] scales)
    {
        long inner = 1;
        for (int d = axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        var q = new sbyte[w.Length];
        for (long i = 0; i < w.Length; i++)
        {
            q[i] = (sbyte)Math.Clamp(MathF.Round(w[i] / scales[(int)(i / inner % scales.Length)], MidpointRounding.ToEven), -127f, 127f);
        }

        return q;
    }

}
