using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Quantization;

/// <summary>
/// One int8 layer of a quantized model as a model of its own: fp32 inputs, quantized with the very parameters the
/// quantized model uses, the int8 node with its weights and output quantization, and a Dequantize. Fed the fp32 model's
/// inputs of that layer it measures the layer's own int8 error, free of what earlier layers lost.
/// </summary>
internal static class IsolatedLayer
{
    public static byte[] Build(ModelDefinition fp32, QuantizedModel quantized, QuantizedLayer layer)
    {
        ModelDefinition mixed = quantized.Definition;
        NodeDesc source = fp32.Nodes[layer.Node];
        NodeDesc node = mixed.Nodes.First(n => n.Outputs.Contains(layer.MixedTensor));
        var b = new ModelBuilder();
        var inputs = new TensorRef?[node.Inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            int t = node.Inputs[i];
            if (t < 0)
            {
                continue;
            }

            TensorDesc d = mixed.Tensors[t];
            if (d.IsConstant)
            {
                inputs[i] = CopyConstant(b, d, mixed.ConstantData[t]!);
                continue;
            }

            TensorDesc original = fp32.Tensors[source.Inputs[i]];
            TensorRef x = b.Input($"{original.Name}#{i}", DataType.Float32, original.Shape);
            inputs[i] = d.Type == DataType.Int8 ? b.Quantize(x, d.Quantization!, $"{original.Name}#{i}.quantize") : x;
        }

        TensorRef y = b.Node(node.Op, inputs, node.Attributes, mixed.Tensors[layer.MixedTensor].Quantization, node.Name);
        b.Output(mixed.Tensors[layer.MixedTensor].Type == DataType.Int8 ? b.Dequantize(y, node.Name + ".dequantize") : y);
        return b.Build();
    }

    /// <summary>Feeds the layer's fp32 inputs (from the reference run) and runs it.</summary>
    public static void Run(InferenceSession session, ModelDefinition fp32, QuantizedLayer layer, float[]?[] values)
    {
        int j = 0;
        foreach (int t in fp32.Nodes[layer.Node].Inputs)
        {
            if (t >= 0 && !fp32.Tensors[t].IsConstant)
            {
                values[t].AsSpan().CopyTo(session.Input<float>(j++));
            }
        }

        session.Run();
    }

    public static TensorRef CopyConstant(ModelBuilder b, TensorDesc d, byte[] bytes) => d.Type switch
    {
        DataType.Float32 => b.Constant(d.Name, MemoryMarshal.Cast<byte, float>(bytes).ToArray(), d.Shape),
        DataType.Int32 => b.Constant(d.Name, MemoryMarshal.Cast<byte, int>(bytes).ToArray(), d.Shape, d.Quantization),
        _ => b.Constant(d.Name, MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray(), d.Shape, d.Quantization!),
    };
}
