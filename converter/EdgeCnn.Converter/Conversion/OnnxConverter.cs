using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Converter.Passes;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Converter.Conversion;

/// <summary>Options of one conversion.</summary>
public sealed class ConversionOptions
{
    /// <summary>Shapes for graph inputs whose dims are symbolic, by input name. A symbolic first (batch) dim defaults to 1.</summary>
    public IReadOnlyDictionary<string, int[]> InputShapes { get; init; } = new Dictionary<string, int[]>(StringComparer.Ordinal);

    /// <summary>
    /// Graph inputs bound to fixed values, which makes them constants of the converted model (e.g. weights that a model
    /// takes as inputs, as ONNX's node tests do; see OnnxImportException.ConstantRequired).
    /// </summary>
    public IReadOnlyDictionary<string, ConstTensor> FixedInputs { get; init; } = new Dictionary<string, ConstTensor>(StringComparer.Ordinal);

    /// <summary>Key/value pairs stored in the model for the device (labels, preprocessing), after the converter's own.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>Run the graph passes (batch-norm folding, activation fusion). Off only to compare before and after.</summary>
    public bool Optimize { get; init; } = true;
}

/// <summary>The converted model and what the conversion did.</summary>
public sealed record ConversionResult(byte[] Ecnn, int OnnxNodes, int RuntimeNodes, int FoldedNodes, int LayoutTransposes,
    IReadOnlyList<string> InputNames, IReadOnlyList<string> OutputNames, OptimizationReport Optimizations)
{
    /// <summary>The written model in memory (tensor indices as in the file): the quantizer's starting point.</summary>
    public ModelDefinition? Definition { get; init; }

    /// <summary>Layers of a pre-quantized (QDQ / QLinear) model that became int8 layers.</summary>
    public int QdqLayersFused { get; init; }
}

/// <summary>
/// ONNX to .ecnn: walks the graph in order, folds what is known at conversion time, lowers every other node to runtime
/// operators (channels-last where the runtime needs it), writes the file and verifies it with the runtime's own reader.
/// </summary>
public static class OnnxConverter
{
    public static ConversionResult Convert(string onnxPath, ConversionOptions? options = null) =>
        Convert(OnnxModelFile.Load(onnxPath), options);

    public static ConversionResult Convert(ModelProto model, ConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ConversionOptions();
        int opset = OnnxModelFile.DefaultOpset(model);
        if (opset < OnnxOpTable.MinOpset || opset > OnnxOpTable.MaxOpset)
        {
            throw new OnnxImportException($"the model imports ONNX opset {opset}; EdgeCnn converts opsets {OnnxOpTable.MinOpset} to {OnnxOpTable.MaxOpset}")
            { IsUnsupported = true };
        }

        GraphProto graph = model.Graph;
        var ctx = new ConversionContext(opset);
        foreach (TensorProto init in graph.Initializer)
        {
            ctx.SetConst(init.Name, OnnxTensorReader.Read(init, $"initializer '{init.Name}'"));
        }

        var inputNames = new List<string>();
        foreach (ValueInfoProto input in graph.Input)
        {
            if (ctx.Has(input.Name))
            {
                continue; // an initializer listed as an input (IR < 4 style): a constant
            }

            if (options.FixedInputs.TryGetValue(input.Name, out ConstTensor? fixedValue))
            {
                ctx.SetConst(input.Name, fixedValue);
                continue;
            }

            int[] shape = InputShape(input, options);
            ctx.UniqueName(input.Name);
            ctx.SetOnnx(input.Name, ctx.Builder.Input(input.Name, DataType.Float32, shape));
            inputNames.Add(input.Name);
        }

        if (inputNames.Count == 0)
        {
            throw new OnnxImportException("the model has no non-constant input; there is nothing to run on a device") { IsUnsupported = true };
        }

        int folded = 0;
        for (int k = 0; k < graph.Node.Count; k++)
        {
            var node = new OnnxNode(graph.Node[k], k, opset);
            folded += ConvertNode(ctx, node) ? 1 : 0;
        }

        var outputNames = new List<string>();
        var outputNode = new OnnxNode(new NodeProto { Name = "graph outputs", OpType = "(output)" }, graph.Node.Count, opset);
        foreach (ValueInfoProto output in graph.Output)
        {
            if (ctx.IsConst(output.Name))
            {
                throw new OnnxImportException($"graph output '{output.Name}' is a constant; EdgeCnn needs outputs computed from the inputs")
                { IsUnsupported = true };
            }

            if (ctx.UnsignedValues.Contains(output.Name))
            {
                throw new OnnxImportException($"graph output '{output.Name}' is uint8; EdgeCnn holds quantized values as int8 and gives " +
                    "fp32 or int8 graph outputs (end the model with DequantizeLinear, or quantize to int8)")
                { IsUnsupported = true };
            }

            ctx.Builder.Output(ctx.Onnx(outputNode, output.Name));
            outputNames.Add(output.Name);
        }

        ctx.Builder.Metadata("producer", $"edgecnn-convert from {(string.IsNullOrEmpty(model.ProducerName) ? "an ONNX model" : model.ProducerName)} (opset {opset})");
        ctx.Builder.Metadata("onnx.inputs", string.Join(',', inputNames));
        ctx.Builder.Metadata("onnx.outputs", string.Join(',', outputNames));
        foreach (KeyValuePair<string, string> kv in options.Metadata)
        {
            ctx.Builder.Metadata(kv.Key, kv.Value);
        }

        (ModelDefinition definition, OptimizationReport report) = options.Optimize
            ? GraphOptimizer.Optimize(ctx.Builder.Definition)
            : (ctx.Builder.Definition, new OptimizationReport(0, 0, 0));
        int qdqFused = 0;
        if (definition.Nodes.Any(n => n.Op is OpCode.Quantize or OpCode.Dequantize))
        {
            (definition, qdqFused) = QdqFusion.Fuse(definition, ctx.WeightQuantization);
        }

        byte[] ecnn = ModelWriter.Write(definition);
        ModelReader.Verify(ecnn); // the runtime's own reader must accept what we wrote
        return new ConversionResult(ecnn, graph.Node.Count, definition.Nodes.Count, folded, ctx.LayoutTransposes, inputNames, outputNames, report)
        {
            Definition = definition,
            QdqLayersFused = qdqFused,
        };
    }

    /// <summary>Converts one node; returns true when it was folded into constants.</summary>
    private static bool ConvertNode(ConversionContext ctx, OnnxNode node)
    {
        if (node.Domain is not ("" or "ai.onnx"))
        {
            throw node.Unsupported($"domain '{node.Domain}' is not supported; EdgeCnn converts the default ONNX domain (ai.onnx)");
        }

        if (!OnnxOpTable.TryGet(node.OpType, out OnnxOpTable.Entry entry))
        {
            throw node.Unsupported($"op {node.OpType} is not supported; `edgecnn-convert ops` lists the supported ops");
        }

        if (node.Opset < entry.Support.MinOpset || node.Opset > entry.Support.MaxOpset)
        {
            throw node.Unsupported($"{node.OpType} is supported for opsets {entry.Support.MinOpset} to {entry.Support.MaxOpset}");
        }

        bool allConst = Enumerable.Range(0, node.Inputs.Count).All(i => node.Input(i) is null || ctx.IsConst(node.Input(i)));
        try
        {
            if (entry.Fold is not null && (allConst || string.Equals(node.OpType, "Shape", StringComparison.Ordinal)))
            {
                ConstTensor[] values = entry.Fold(ctx, node);
                for (int o = 0; o < values.Length && o < node.Outputs.Count; o++)
                {
                    ctx.SetConst(node.Outputs[o], values[o]);
                }

                return true;
            }

            if (entry.Convert is null)
            {
                throw node.Unsupported($"{node.OpType} is supported only on values known at conversion time (shape arithmetic)");
            }

            entry.Convert(ctx, node);
            return false;
        }
        catch (OpValidationException e)
        {
            throw node.Unsupported($"the runtime rejects it: {e.Message}");
        }
        catch (OverflowException e)
        {
            throw node.Malformed($"sizes overflow ({e.Message})");
        }
    }

    private static int[] InputShape(ValueInfoProto input, ConversionOptions options)
    {
        if (options.InputShapes.TryGetValue(input.Name, out int[]? given))
        {
            return given;
        }

        if (input.Type?.TensorType is not { } tensor)
        {
            throw new OnnxImportException($"graph input '{input.Name}' is not a tensor; EdgeCnn takes tensor inputs only") { IsUnsupported = true };
        }

        if (tensor.ElemType != (int)OnnxDataType.Float)
        {
            // Integer inputs are usually shapes, axes or sizes: usable when bound to a value (ConversionOptions.FixedInputs).
            throw new OnnxImportException($"graph input '{input.Name}' is {(OnnxDataType)tensor.ElemType}; EdgeCnn takes float inputs " +
                "(int8 inputs come from quantization; an integer shape or axes input can be bound to a value)")
            {
                IsUnsupported = true,
                ConstantRequired = input.Name,
            };
        }

        if (tensor.Shape is null)
        {
            throw new OnnxImportException($"graph input '{input.Name}' has no shape; give one with --input-shape {input.Name}=1,3,224,224");
        }

        var shape = new int[tensor.Shape.Dim.Count];
        for (int d = 0; d < shape.Length; d++)
        {
            TensorShapeProto.Types.Dimension dim = tensor.Shape.Dim[d];
            if (dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dim.DimValue > 0 && dim.DimValue <= int.MaxValue)
            {
                shape[d] = (int)dim.DimValue;
            }
            else if (d == 0)
            {
                shape[d] = 1; // a symbolic batch: one frame at a time on the device
            }
            else
            {
                throw new OnnxImportException($"graph input '{input.Name}' dim {d} is symbolic ('{dim.DimParam}'); give it with " +
                    $"--input-shape {input.Name}=...");
            }
        }

        return shape;
    }
}
