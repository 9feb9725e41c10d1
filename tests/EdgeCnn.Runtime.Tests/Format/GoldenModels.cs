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

    public static IEnumerable<object[]> All()
    {
        yield return ["fp32-chain"];
        yield return ["int8-chain"];
        yield return ["branching"];
    }

    public static byte[] ByName(string name) => name switch
    {
        "fp32-chain" => Float32Chain(),
        "int8-chain" => Int8Chain(),
        _ => Branching(),
    };
}
