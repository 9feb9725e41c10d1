using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Diagnostics;

/// <summary>
/// The work of each node, the one count that `edgecnn-convert inspect` reports and `edgecnn-run bench` divides by time.
/// Weighted layers (<see cref="IsWeighted"/>) count multiply-accumulates: each output element costs one MAC per weight it
/// reads (kernel volume x input channels per group for Conv, the tile's kernel x C for TiledConv2D/LocallyConnected2D, K
/// for Dense); ConvTranspose counts per input element (each feeds kernel volume x output channels per group outputs).
/// Every other op counts one operation per output element, so a model's total covers all its nodes.
/// </summary>
public static class MacCounter
{
    /// <summary>True for the ops whose count is multiply-accumulates, the ones a MAC peak applies to.</summary>
    public static bool IsWeighted(OpCode op) =>
        op is OpCode.Conv or OpCode.ConvTranspose or OpCode.LocallyConnected2D or OpCode.TiledConv2D or OpCode.Dense;

    /// <summary>Multiply-accumulates (weighted ops) or output elements (all others) of one node.</summary>
    public static long Node(EcnnModel model, NodeDesc node)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(node);
        TensorDesc output = model.Tensors[node.Outputs[0]];
        switch (node.Op)
        {
            case OpCode.Conv:
            {
                int[] w = model.Tensors[node.Inputs[1]].Shape; // [O, k..., C / group]
                return output.ElementCount * Product(w, 1, w.Length);
            }

            case OpCode.ConvTranspose:
            {
                int[] w = model.Tensors[node.Inputs[1]].Shape; // [O, k..., C / group]
                TensorDesc input = model.Tensors[node.Inputs[0]];
                int group = node.Find(AttributeKey.Group)?.Ints[0] ?? 1;
                return input.ElementCount * Product(w, 1, w.Length - 1) * (w[0] / group);
            }

            case OpCode.LocallyConnected2D:
            case OpCode.TiledConv2D:
            {
                int[] w = model.Tensors[node.Inputs[1]].Shape; // [tH, tW, O, kH, kW, C]
                return output.ElementCount * w[^3] * w[^2] * w[^1];
            }

            case OpCode.Dense:
                return output.ElementCount * model.Tensors[node.Inputs[1]].Shape[1]; // weights [O, K]
            default:
                return output.ElementCount;
        }
    }

    /// <summary><see cref="Node"/> for every node of <paramref name="model"/>, in node order.</summary>
    public static long[] PerNode(EcnnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var counts = new long[model.Nodes.Count];
        for (int k = 0; k < counts.Length; k++)
        {
            counts[k] = Node(model, model.Nodes[k]);
        }

        return counts;
    }

    private static long Product(int[] dims, int from, int to)
    {
        long p = 1;
        for (int i = from; i < to; i++)
        {
            p *= dims[i];
        }

        return p;
    }
}
