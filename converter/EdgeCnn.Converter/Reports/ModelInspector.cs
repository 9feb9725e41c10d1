using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Reports;

/// <summary>Per-layer and total figures of a planned model: parameters, multiply-accumulates, arena placement, file size.</summary>
public static class ModelInspector
{
    public static (IReadOnlyList<LayerSummary> Layers, ModelTotals Totals) Inspect(InferenceSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        EcnnModel m = session.Model;
        var layers = new List<LayerSummary>();
        for (int k = 0; k < m.Nodes.Count; k++)
        {
            NodeDesc n = m.Nodes[k];
            long parameters = n.Inputs.Where(i => i >= 0 && m.Tensors[i].IsConstant).Sum(i => m.Tensors[i].ElementCount);
            TensorPlacement first = session.Placements[n.Outputs[0]];
            layers.Add(new LayerSummary(k, n.Name, n.Op.ToString(), session.Kernels[k]?.Name ?? "view",
                n.Inputs.Where(i => i >= 0).Select(i => m.Tensors[i].ToString()).ToArray(),
                n.Outputs.Select(o => m.Tensors[o].ToString()).ToArray(),
                string.Join(' ', n.Attributes.Select(a => a.ToString())),
                parameters, Macs(m, n), first.ArenaOffset, n.Outputs.Sum(o => m.Tensors[o].ByteCount)));
        }

        long totalParameters = m.Tensors.Where(t => t.IsConstant).Sum(t => t.ElementCount);
        return (layers, new ModelTotals(totalParameters, layers.Sum(l => l.Macs), session.ArenaBytes, m.FileBytes));
    }

    /// <summary>
    /// Multiply-accumulates of one node: for weighted layers, each output element costs one MAC per weight it reads
    /// (kernel volume x input channels per group, or K for dense; ConvTranspose counts per input element); every other
    /// op is counted as one operation per output element.
    /// </summary>
    public static long Macs(EcnnModel model, NodeDesc node)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(node);
        TensorDesc output = model.Tensors[node.Outputs[0]];
        switch (node.Op)
        {
            case OpCode.Conv:
            {
                int[] w = model.Tensors[node.Inputs[1]].Shape;
                long perOutput = w.Skip(1).Aggregate(1L, (a, d) => a * d); // k... x C/group
                return output.ElementCount * perOutput;
            }

            case OpCode.ConvTranspose:
            {
                int[] w = model.Tensors[node.Inputs[1]].Shape;
                TensorDesc input = model.Tensors[node.Inputs[0]];
                long kernel = w.Skip(1).Take(w.Length - 2).Aggregate(1L, (a, d) => a * d);
                int group = node.Find(AttributeKey.Group)?.Ints[0] ?? 1;
                return input.ElementCount * kernel * (w[0] / group);
            }

            case OpCode.LocallyConnected2D:
            case OpCode.TiledConv2D:
            {
                int[] w = model.Tensors[node.Inputs[1]].Shape; // [.., .., O, kH, kW, C]
                return output.ElementCount * w[^3] * w[^2] * w[^1];
            }

            case OpCode.Dense:
                return output.ElementCount * model.Tensors[node.Inputs[1]].Shape[1];
            default:
                return output.ElementCount;
        }
    }
}

/// <summary>Whole-model figures.</summary>
public sealed record ModelTotals(long Parameters, long Macs, long ArenaBytes, long FileBytes);
