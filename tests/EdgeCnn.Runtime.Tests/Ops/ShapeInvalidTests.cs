using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>Invalid shape-op nodes are rejected by the builder (OpValidationException) or by the reader (EcnnFormatException).</summary>
public class ShapeInvalidTests
{
    private static void Rejects(int[] shape, Func<ModelBuilder, TensorRef, TensorRef> node, string messagePart)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, shape);
        OpValidationException e = Assert.Throws<OpValidationException>(() => node(b, x));
        Assert.Contains(messagePart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_perms()
    {
        Rejects([2, 3, 4], (b, x) => b.Transpose(x, [0, 0, 1]), "not a permutation");
        Rejects([2, 3, 4], (b, x) => b.Transpose(x, [0, 1, 3]), "not a permutation");
        Rejects([2, 3, 4], (b, x) => b.Transpose(x, [-1, 0, 1]), "not a permutation");
        Rejects([2, 3, 4], (b, x) => b.Transpose(x, [1, 0]), "has 2 entries");
    }

    [Fact]
    public void Bad_axes()
    {
        Rejects([2, 3], (b, x) => b.Concat([x, x], 2), "out of range");
        Rejects([2, 3], (b, x) => b.Concat([x, x], -3), "out of range");
        Rejects([2, 3, 4], (b, x) => b.Flatten(x, 4), "out of range");
        Rejects([2, 3, 4], (b, x) => b.Flatten(x, -4), "out of range");
        Rejects([1, 3], (b, x) => b.Squeeze(x, [2]), "out of range");
        Rejects([1, 3], (b, x) => b.Squeeze(x, [1]), "only size-1 axes");
        Rejects([1, 3], (b, x) => b.Squeeze(x, [0, -2]), "listed twice");
        Rejects([2, 3], (b, x) => b.Unsqueeze(x, [3]), "out of range");
        Rejects([2, 3], (b, x) => b.Unsqueeze(x, [0, 0]), "listed twice");
        Rejects([1, 1, 1, 1, 1, 1], (b, x) => b.Unsqueeze(x, [0]), "rank 7");
    }

    [Fact]
    public void Reshape_errors()
    {
        Rejects([2, 3, 4], (b, x) => b.Reshape(x, [5, 5]), "has 25 elements");
        Rejects([2, 3, 4], (b, x) => b.Reshape(x, [-1, -1, 2]), "more than one -1");
        Rejects([2, 3, 4], (b, x) => b.Reshape(x, [-1, 5]), "do not divide");
        Rejects([2, 3, 4], (b, x) => b.Reshape(x, [24, -2]), "invalid");
        Rejects([24], (b, x) => b.Reshape(x, [2, 0, 12]), "copies an input dim");
        Rejects([2, 3], (b, x) => b.Node(OpCode.Reshape, x), "Shape is required");
    }

    [Fact]
    public void Concat_errors()
    {
        var b = new ModelBuilder();
        TensorRef a = b.Input("a", DataType.Float32, [2, 3]);
        TensorRef c = b.Input("c", DataType.Float32, [3, 3]);
        TensorRef d = b.Input("d", DataType.Float32, [2, 3, 1]);
        TensorRef q = b.Input("q", DataType.Int8, [2, 3], QuantizationInfo.PerTensor(1f, 0));
        Assert.Contains("on every axis but 1", Assert.Throws<OpValidationException>(() => b.Concat([a, c], 1)).Message, StringComparison.Ordinal);
        Assert.Contains("rank", Assert.Throws<OpValidationException>(() => b.Concat([a, d], 0)).Message, StringComparison.Ordinal);
        Assert.Contains("int8", Assert.Throws<OpValidationException>(() => b.Concat([a, q], 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pad_errors()
    {
        Rejects([2, 3], (b, x) => b.Pad(x, [1, 1], PadFill.Constant), "4 expected");
        Rejects([2, 3], (b, x) => b.Pad(x, [0, 3, 0, 0], PadFill.Reflect), "smaller than the axis size");
        Rejects([2, 3], (b, x) => b.Pad(x, [0, 0, 2, 0], PadFill.Reflect), "smaller than the axis size");
        Rejects([2, 3], (b, x) => b.Pad(x, [0, -2, 0, -1], PadFill.Constant), "at least 1");
        Rejects([2, 3], (b, x) => b.Pad(x, [0, -3, 0, 1], PadFill.Edge), "needs input left");
        Rejects([2, 3], (b, x) => b.Node(OpCode.Pad, x, NodeAttribute.IntList(AttributeKey.Pads, [0, 0, 0, 0]),
            NodeAttribute.Int(AttributeKey.Mode, 3)), "unknown");
        Rejects([2, 3], (b, x) => b.Node(OpCode.Pad, x, NodeAttribute.IntList(AttributeKey.Pads, [0, 0, 0, 0]),
            NodeAttribute.Int(AttributeKey.Mode, 2), NodeAttribute.Float(AttributeKey.Value, 1f)), "only applies to constant");
    }

    [Fact]
    public void Resize_errors()
    {
        Rejects([1, 2, 2, 1], (b, x) => b.Resize(x, [4, 4]), "has 2 values");
        Rejects([1, 2, 2, 1], (b, x) => b.Resize(x, [1, 4, 4, 0]), ">= 1");
        Rejects([1, 2, 2, 1], (b, x) => b.Resize(x, [1, 4, 4, 1], scales: [1, 2, 2]), "scales has 3 values");
        Rejects([1, 2, 2, 1], (b, x) => b.Resize(x, [1, 4, 4, 1], scales: [1, 0, 2, 1]), "finite and > 0");
        Rejects([1, 2, 2, 1], (b, x) => b.Resize(x, [1, 4, 4, 1], (ResizeMode)2), "resize mode");
        Rejects([1, 2, 2, 1], (b, x) => b.Resize(x, [1, 4, 4, 1], coordinateMode: (ResizeCoordinateMode)4), "coordinate mode");
        Rejects([1, 2, 2, 1], (b, x) => b.Resize(x, [1, 4, 4, 1], nearestMode: (ResizeNearestMode)(-1)), "nearest mode");
        Rejects([1, 2, 2, 1], (b, x) => b.Node(OpCode.Resize, x), "Sizes is required");
    }

    [Fact]
    public void Int32_inputs_are_rejected()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int32, [2, 3]);
        Assert.Throws<OpValidationException>(() => b.Transpose(x));
        Assert.Throws<OpValidationException>(() => b.Reshape(x, [6]));
    }

    [Fact]
    public void Int8_data_movement_with_another_output_quantization_fails_verification()
    {
        // The builder cannot see the declared output at Infer; the reader checks it when the file is loaded.
        foreach (Func<ModelBuilder, TensorRef, QuantizationInfo, TensorRef> node in new Func<ModelBuilder, TensorRef, QuantizationInfo, TensorRef>[]
        {
            (b, x, q) => b.Node(OpCode.Reshape, [x], [NodeAttribute.IntList(AttributeKey.Shape, [4])], q),
            (b, x, q) => b.Node(OpCode.Transpose, [x], null, q),
            (b, x, q) => b.Node(OpCode.Pad, [x], [NodeAttribute.IntList(AttributeKey.Pads, [0, 1, 0, 0])], q),
            (b, x, q) => b.Node(OpCode.Resize, [x], [NodeAttribute.IntList(AttributeKey.Sizes, [4, 4])], q),
        })
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, [2, 2], QuantizationInfo.PerTensor(0.5f, 0));
            b.Output(node(b, x, QuantizationInfo.PerTensor(0.25f, 0)));
            EcnnFormatException e = Assert.Throws<EcnnFormatException>(() => b.BuildSession().Dispose());
            Assert.Contains("keep the input's quantization", e.Message, StringComparison.Ordinal);
        }
    }
}
