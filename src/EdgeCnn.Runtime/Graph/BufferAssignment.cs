using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// Maps every non-constant tensor to an arena buffer. View operators share their input's buffer; in-place operators take
/// over their input's buffer when no later node reads it; everything else gets a new buffer. Each node's scratch is a
/// buffer live for that node alone. The result feeds ArenaPlanner.
/// </summary>
internal sealed class BufferAssignment
{
    private BufferAssignment(int[] tensorBuffer, int[] nodeScratch, List<BufferRequest> buffers)
    {
        TensorBuffer = tensorBuffer;
        NodeScratch = nodeScratch;
        Buffers = buffers;
    }

    /// <summary>Buffer index per tensor; -1 for constants (and views of constants).</summary>
    public int[] TensorBuffer { get; }

    /// <summary>Scratch buffer per node; -1 when the node needs none.</summary>
    public int[] NodeScratch { get; }

    public List<BufferRequest> Buffers { get; }

    public static BufferAssignment Build(IReadOnlyList<TensorDesc> tensors, IReadOnlyList<NodeDesc> nodes, IReadOnlyList<int> inputs,
        IReadOnlyList<int> outputs, Func<int, long> scratchBytes)
    {
        int nodeCount = nodes.Count;
        var lastUse = new int[tensors.Count];
        Array.Fill(lastUse, -1);
        for (int k = 0; k < nodeCount; k++)
        {
            foreach (int i in nodes[k].Inputs)
            {
                if (i >= 0)
                {
                    lastUse[i] = Math.Max(lastUse[i], k);
                }
            }
        }

        foreach (int o in outputs)
        {
            lastUse[o] = nodeCount; // outputs are read by the caller after the last node
        }

        var tensorBuffer = new int[tensors.Count];
        Array.Fill(tensorBuffer, -1);
        var buffers = new List<BufferRequest>();
        var pinned = new List<bool>(); // graph inputs: the caller's data, never overwritten in place

        int NewBuffer(int tensor, int first, bool pin)
        {
            buffers.Add(new BufferRequest(tensors[tensor].ByteCount, first, Math.Max(first, lastUse[tensor])));
            pinned.Add(pin);
            return buffers.Count - 1;
        }

        void Extend(int buffer, int tensor)
        {
            BufferRequest b = buffers[buffer];
            buffers[buffer] = b with
            {
                Bytes = Math.Max(b.Bytes, tensors[tensor].ByteCount),
                LastStep = Math.Max(b.LastStep, lastUse[tensor]),
            };
        }

        foreach (int i in inputs)
        {
            // Graph inputs hold the caller's data for the whole Run: never written in place, never reused, so running
            // twice on the same input gives the same output.
            tensorBuffer[i] = NewBuffer(i, -1, pin: true);
            buffers[^1] = buffers[^1] with { LastStep = nodeCount };
        }

        var nodeScratch = new int[nodeCount];
        Array.Fill(nodeScratch, -1);
        for (int k = 0; k < nodeCount; k++)
        {
            NodeDesc node = nodes[k];
            Operator op = OpRegistry.Get(node.Op);
            int in0 = node.Inputs.Length > 0 ? node.Inputs[0] : -1;
            foreach (int o in node.Outputs)
            {
                if (op.Aliasing == OutputAliasing.View && in0 >= 0)
                {
                    tensorBuffer[o] = tensorBuffer[in0]; // -1 stays -1: a view of a constant is a constant
                    if (tensorBuffer[o] >= 0)
                    {
                        Extend(tensorBuffer[o], o);
                    }
                }
                else if (op.Aliasing == OutputAliasing.InPlace && in0 >= 0 && tensorBuffer[in0] >= 0 && !pinned[tensorBuffer[in0]]
                    && buffers[tensorBuffer[in0]].LastStep <= k && tensors[in0].ByteCount == tensors[o].ByteCount
                    && !UsedTwice(node, in0))
                {
                    tensorBuffer[o] = tensorBuffer[in0];
                    Extend(tensorBuffer[o], o);
                }
                else
                {
                    tensorBuffer[o] = NewBuffer(o, k, pin: false);
                }
            }

            long scratch = scratchBytes(k);
            if (scratch > 0)
            {
                buffers.Add(new BufferRequest(scratch, k, k));
                pinned.Add(false);
                nodeScratch[k] = buffers.Count - 1;
            }
        }

        return new BufferAssignment(tensorBuffer, nodeScratch, buffers);
    }

    /// <summary>x + x: writing the output over x would change the second operand while it is read.</summary>
    private static bool UsedTwice(NodeDesc node, int tensor)
    {
        int count = 0;
        foreach (int i in node.Inputs)
        {
            if (i == tensor)
            {
                count++;
            }
        }

        return count > 1;
    }
}
