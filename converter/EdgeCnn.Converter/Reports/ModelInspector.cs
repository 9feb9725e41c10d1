using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Reports;

/// <summary>
/// Per-layer and total figures of a planned model: parameters, multiply-accumulates (counted by the runtime's
/// <see cref="MacCounter"/>, the same count `edgecnn-run bench` reports), arena placement, file size.
/// </summary>
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
                parameters, MacCounter.Node(m, n), first.ArenaOffset, n.Outputs.Sum(o => m.Tensors[o].ByteCount)));
        }

        long totalParameters = m.Tensors.Where(t => t.IsConstant).Sum(t => t.ElementCount);
        return (layers, new ModelTotals(totalParameters, layers.Sum(l => l.Macs), session.ArenaBytes, m.FileBytes));
    }
}

/// <summary>Whole-model figures.</summary>
public sealed record ModelTotals(long Parameters, long Macs, long ArenaBytes, long FileBytes);
