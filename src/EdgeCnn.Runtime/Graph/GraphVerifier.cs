using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// Graph-level rules: indices in range, each tensor produced once, nothing used before it is produced, no cycles, graph
/// inputs and outputs sane, and every node valid for its operator (attributes, types, shapes, declared outputs).
/// </summary>
internal static class GraphVerifier
{
    public static void Verify(IReadOnlyList<TensorDesc> tensors, IReadOnlyList<NodeDesc> nodes, IReadOnlyList<int> inputs,
        IReadOnlyList<int> outputs, long graphIoOffset)
    {
        int n = tensors.Count;
        var producer = new int[n];
        Array.Fill(producer, -1);
        var isInput = new bool[n];
        foreach (int i in inputs)
        {
            if ((uint)i >= (uint)n)
            {
                throw new EcnnFormatException(graphIoOffset, "graph.input", $"graph input index {i} is out of range (0..{n - 1})");
            }

            if (tensors[i].IsConstant)
            {
                throw new EcnnFormatException(graphIoOffset, "graph.input", $"graph input '{tensors[i].Name}' is a constant");
            }

            if (isInput[i])
            {
                throw new EcnnFormatException(graphIoOffset, "graph.input", $"graph input '{tensors[i].Name}' is listed twice");
            }

            isInput[i] = true;
        }

        // Producers first, so that a use of a later-produced tensor can be told apart: a cycle or just a wrong order.
        for (int k = 0; k < nodes.Count; k++)
        {
            NodeDesc node = nodes[k];
            foreach (int o in node.Outputs)
            {
                if ((uint)o >= (uint)n)
                {
                    throw new EcnnFormatException(node.FileOffset, "node.output", $"node {k} '{node.Name}': output index {o} is out of range");
                }

                if (tensors[o].IsConstant || isInput[o])
                {
                    throw new EcnnFormatException(node.FileOffset, "node.output",
                        $"node {k} '{node.Name}': output '{tensors[o].Name}' is a constant or graph input and cannot be produced");
                }

                if (producer[o] >= 0)
                {
                    throw new EcnnFormatException(node.FileOffset, "graph.produced-twice",
                        $"tensor '{tensors[o].Name}' is produced by node {producer[o]} and again by node {k} '{node.Name}'");
                }

                producer[o] = k;
            }
        }

        for (int k = 0; k < nodes.Count; k++)
        {
            NodeDesc node = nodes[k];
            foreach (int i in node.Inputs)
            {
                if (i == -1)
                {
                    continue;
                }

                if ((uint)i >= (uint)n)
                {
                    throw new EcnnFormatException(node.FileOffset, "node.input", $"node {k} '{node.Name}': input index {i} is out of range");
                }

                if (tensors[i].IsConstant || isInput[i])
                {
                    continue;
                }

                if (producer[i] < 0)
                {
                    throw new EcnnFormatException(node.FileOffset, "graph.unproduced",
                        $"node {k} '{node.Name}': input '{tensors[i].Name}' is neither a constant, a graph input nor produced by any node");
                }

                if (producer[i] >= k)
                {
                    bool cycle = ReachesBack(nodes, producer, from: producer[i], target: k);
                    throw new EcnnFormatException(node.FileOffset, cycle ? "graph.cycle" : "graph.order",
                        cycle
                            ? $"node {k} '{node.Name}' and node {producer[i]} depend on each other through '{tensors[i].Name}' (cycle)"
                            : $"node {k} '{node.Name}' uses '{tensors[i].Name}' before node {producer[i]} produces it");
                }
            }
        }

        foreach (int o in outputs)
        {
            if ((uint)o >= (uint)n)
            {
                throw new EcnnFormatException(graphIoOffset, "graph.output", $"graph output index {o} is out of range (0..{n - 1})");
            }

            if (tensors[o].IsConstant || (producer[o] < 0 && !isInput[o]))
            {
                throw new EcnnFormatException(graphIoOffset, "graph.output", $"graph output '{tensors[o].Name}' is not produced by the graph");
            }
        }

        for (int k = 0; k < nodes.Count; k++)
        {
            VerifyNode(tensors, nodes[k], k);
        }
    }

    /// <summary>True when node 'from' depends, through produced tensors, on node 'target' (so the two form a cycle).</summary>
    private static bool ReachesBack(IReadOnlyList<NodeDesc> nodes, int[] producer, int from, int target)
    {
        var seen = new bool[nodes.Count];
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            int k = stack.Pop();
            if (seen[k])
            {
                continue;
            }

            seen[k] = true;
            foreach (int i in nodes[k].Inputs)
            {
                if (i >= 0 && i < producer.Length && producer[i] >= 0)
                {
                    if (producer[i] == target)
                    {
                        return true;
                    }

                    stack.Push(producer[i]);
                }
            }
        }

        return false;
    }

    private static void VerifyNode(IReadOnlyList<TensorDesc> tensors, NodeDesc node, int index)
    {
        string where = $"node {index} '{node.Name}' ({node.Op})";
        if (!OpRegistry.TryGet(node.Op, out Operator op))
        {
            throw new EcnnFormatException(node.FileOffset, "node.op", $"{where}: unknown op code {(int)node.Op}");
        }

        if (node.Inputs.Length < op.MinInputs || node.Inputs.Length > op.MaxInputs)
        {
            throw new EcnnFormatException(node.FileOffset, "node.inputs",
                $"{where}: has {node.Inputs.Length} inputs; {op.Name} takes {op.MinInputs}..{op.MaxInputs}");
        }

        if (node.Outputs.Length != op.OutputCount)
        {
            throw new EcnnFormatException(node.FileOffset, "node.outputs",
                $"{where}: has {node.Outputs.Length} outputs; {op.Name} produces {op.OutputCount}");
        }

        foreach (NodeAttribute a in node.Attributes)
        {
            if (!op.Attributes.Contains(a.Key))
            {
                throw new EcnnFormatException(node.FileOffset, "node.attribute",
                    $"{where}: attribute {a.Key} is not one of {op.Name}'s ({string.Join(", ", op.Attributes)})");
            }

            if (a.Type != AttributeTypes.Of(a.Key))
            {
                throw new EcnnFormatException(node.FileOffset, "node.attribute",
                    $"{where}: attribute {a.Key} is {a.Type}; it must be {AttributeTypes.Of(a.Key)}");
            }
        }

        var inputs = new TensorDesc?[node.Inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = node.Inputs[i] >= 0 ? tensors[node.Inputs[i]] : null;
        }

        var outputs = new TensorDesc?[node.Outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = tensors[node.Outputs[i]];
        }

        try
        {
            var ctx = new InferContext(node, inputs, outputs);
            op.Infer(ctx);
            for (int i = 0; i < outputs.Length; i++)
            {
                if (ctx.OutputShapes[i] is null)
                {
                    throw new OpValidationException($"operator did not infer output {i}");
                }

                if (outputs[i]!.Type == DataType.Int8 && outputs[i]!.Quantization is not { IsPerTensor: true })
                {
                    throw new OpValidationException($"int8 output '{outputs[i]!.Name}' needs per-tensor quantization");
                }
            }
        }
        catch (OpValidationException e)
        {
            throw new EcnnFormatException(node.FileOffset, "node.params", $"{where}: {e.Message}");
        }
        catch (OverflowException)
        {
            throw new EcnnFormatException(node.FileOffset, "node.shape", $"{where}: shape arithmetic overflows");
        }
    }
}
