using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Tests.Format;

/// <summary>Small valid models that the format tests corrupt in every way they can.</summary>
public static class GoldenModels
{
    /// <summary>fp32 chain with an unused constant and metadata.</summary>
    public static byte[] Float32Chain()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 2, 2, 3]);
        b.Constant("w", [1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        TensorRef y = b.Node(OpCode.Relu, x);
        TensorRef z = b.Node(OpCode.Clip, y, NodeAttribute.Float(AttributeKey.Min, 0f), NodeAttribute.Float(AttributeKey.Max, 6f));
        b.Output(b.Node(OpCode.Sigmoid, z));
        b.Metadata("labels", "cat,dog");
        b.Metadata("preprocess", "{\"mean\":[0.5],\"std\":[0.25]}");
        return b.Build();
    }

    /// <summary>int8 model with per-tensor activations and a per-axis constant.</summary>
    public static byte[] Int8Chain()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("q", DataType.Int8, [2, 4], QuantizationInfo.PerTensor(0.1f, 3));
        b.Constant("wq", [1, -2, 3, -4, 5, -6, 7, -8], [2, 4], QuantizationInfo.PerAxis([0.5f, 0.25f], 0));
        b.Constant("bias", [100, -100], [2]);
        TensorRef y = b.Node(OpCode.Relu, [x], null, QuantizationInfo.PerTensor(0.05f, -128));
        b.Output(b.Node(OpCode.Tanh, [y], null, QuantizationInfo.PerTensor(1f / 128, 0)));
        return b.Build();
    }

    /// <summary>Two inputs, two outputs, a branch.</summary>
    public static byte[] Branching()
    {
        var b = new ModelBuilder();
        TensorRef a = b.Input("a", DataType.Float32, [3]);
        TensorRef c = b.Input("c", DataType.Float32, [5]);
        TensorRef r = b.Node(OpCode.Relu, a);
        b.Output(b.Node(OpCode.Elu, r, NodeAttribute.Float(AttributeKey.Alpha, 0.5f)));
        b.Output(b.Node(OpCode.HardSwish, c));
        b.Output(b.Node(OpCode.Tanh, r));
        return b.Build();
    }

    /// <summary>A small fp32 CNN: conv with pads and strides, pooling, concat, dense, softmax.</summary>
    public static byte[] Float32Cnn()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("image", DataType.Float32, [1, 6, 6, 2]);
        TensorRef w = b.Constant("conv.w", Enumerable.Range(0, 4 * 3 * 3 * 2).Select(i => ((i % 7) - 3) * 0.1f).ToArray(), [4, 3, 3, 2]);
        TensorRef c = b.Node(OpCode.Conv, [x, w, b.Constant("conv.b", [0.1f, -0.1f, 0.2f, 0f], [4])],
            [NodeAttribute.IntList(AttributeKey.Pads, [1, 1, 1, 1]), NodeAttribute.IntList(AttributeKey.Strides, [1, 1]),
             NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Relu)]);
        TensorRef p = b.Node(OpCode.MaxPool, [c], [NodeAttribute.IntList(AttributeKey.KernelShape, [2, 2]), NodeAttribute.IntList(AttributeKey.Strides, [2, 2])]);
        TensorRef a = b.Node(OpCode.AveragePool, [c], [NodeAttribute.IntList(AttributeKey.KernelShape, [2, 2]), NodeAttribute.IntList(AttributeKey.Strides, [2, 2])]);
        TensorRef cat = b.Node(OpCode.Concat, [p, a], [NodeAttribute.Int(AttributeKey.Axis, -1)]);
        TensorRef flat = b.Node(OpCode.Flatten, [cat], [NodeAttribute.Int(AttributeKey.Axis, 1)]);
        TensorRef d = b.Node(OpCode.Dense, [flat, b.Constant("fc.w", Enumerable.Range(0, 3 * 72).Select(i => ((i % 5) - 2) * 0.05f).ToArray(), [3, 72])]);
        b.Output(b.Node(OpCode.Softmax, [d], [NodeAttribute.Int(AttributeKey.Axis, -1)]));
        return b.Build();
    }

    /// <summary>A small int8 CNN: per-channel conv with int32 bias, average pool, add, dequantize.</summary>
    public static byte[] Int8Cnn()
    {
        var b = new ModelBuilder();
        var q = QuantizationInfo.PerTensor(0.02f, -3);
        TensorRef x = b.Input("image", DataType.Int8, [1, 4, 4, 3], q);
        TensorRef w = b.Constant("conv.w", Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => (sbyte)((i % 9) - 4)).ToArray(), [2, 3, 3, 3],
            QuantizationInfo.PerAxis([0.01f, 0.02f], 0));
        TensorRef c = b.Node(OpCode.Conv, [x, w, b.Constant("conv.b", [50, -20], [2])],
            [NodeAttribute.Int(AttributeKey.PadMode, (int)PadMode.SameUpper), NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Relu6)],
            QuantizationInfo.PerTensor(0.03f, -128));
        TensorRef p = b.Node(OpCode.AveragePool, [c], [NodeAttribute.IntList(AttributeKey.KernelShape, [2, 2]), NodeAttribute.IntList(AttributeKey.Strides, [2, 2])],
            QuantizationInfo.PerTensor(0.03f, -128));
        TensorRef s = b.Node(OpCode.Add, [p, p], null, QuantizationInfo.PerTensor(0.05f, -100));
        b.Output(b.Node(OpCode.Dequantize, [s]));
        return b.Build();
    }

    public static IEnumerable<object[]> All()
    {
        yield return ["fp32-chain"];
        yield return ["int8-chain"];
        yield return ["branching"];
        yield return ["fp32-cnn"];
        yield return ["int8-cnn"];
    }

    public static byte[] ByName(string name) => name switch
    {
        "fp32-chain" => Float32Chain(),
        "int8-chain" => Int8Chain(),
        "fp32-cnn" => Float32Cnn(),
        "int8-cnn" => Int8Cnn(),
        _ => Branching(),
    };
}
