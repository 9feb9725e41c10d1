using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Tests.Graph;

/// <summary>
/// One small model per operator and data type: the table the zero-allocation test runs, and which must name every
/// registered operator (a new operator without a sample fails OpSampleCoverage).
/// </summary>
public static class OpSamples
{
    private static readonly QuantizationInfo s_q = QuantizationInfo.PerTensor(0.05f, 3);
    private static readonly QuantizationInfo s_qOut = QuantizationInfo.PerTensor(0.1f, -5);

    public static IEnumerable<(string Name, OpCode Op, Func<ModelBuilder> Build)> All()
    {
        foreach (DataType t in new[] { DataType.Float32, DataType.Int8 })
        {
            string d = t.Name();
            foreach (OpCode op in new[] { OpCode.Relu, OpCode.Clip, OpCode.LeakyRelu, OpCode.Elu, OpCode.Selu, OpCode.Sigmoid, OpCode.Tanh,
                         OpCode.Softplus, OpCode.HardSigmoid, OpCode.HardSwish, OpCode.Silu, OpCode.Exp, OpCode.Dropout })
            {
                yield return ($"{d} {op}", op, () => Unary(t, op, [1, 4, 4, 3]));
            }

            yield return ($"{d} Conv2D", OpCode.Conv, () => Conv(t, [1, 5, 5, 4], [3, 3, 3, 4], [NodeAttribute.IntList(AttributeKey.Pads, [1, 1, 1, 1])]));
            yield return ($"{d} Conv1D", OpCode.Conv, () => Conv(t, [1, 7, 2], [3, 3, 2], [NodeAttribute.IntList(AttributeKey.Strides, [2])]));
            yield return ($"{d} Conv3D", OpCode.Conv, () => Conv(t, [1, 3, 4, 4, 2], [2, 2, 2, 2, 2], []));
            yield return ($"{d} DepthwiseConv", OpCode.Conv, () => Conv(t, [1, 5, 5, 4], [4, 3, 3, 1], [NodeAttribute.Int(AttributeKey.Group, 4)]));
            yield return ($"{d} ConvTranspose", OpCode.ConvTranspose, () => WeightOp(t, OpCode.ConvTranspose, [1, 3, 3, 2], [3, 3, 3, 2], 3,
                [NodeAttribute.IntList(AttributeKey.Strides, [2, 2])]));
            yield return ($"{d} LocallyConnected2D", OpCode.LocallyConnected2D, () => WeightOp(t, OpCode.LocallyConnected2D, [1, 4, 4, 2], [2, 2, 3, 3, 3, 2], 3, []));
            yield return ($"{d} TiledConv2D", OpCode.TiledConv2D, () => WeightOp(t, OpCode.TiledConv2D, [1, 5, 5, 2], [2, 2, 3, 3, 3, 2], 3,
                [NodeAttribute.IntList(AttributeKey.Tile, [2, 2])]));
            yield return ($"{d} Dense", OpCode.Dense, () => WeightOp(t, OpCode.Dense, [2, 6], [4, 6], 4, []));
            foreach (OpCode pool in new[] { OpCode.MaxPool, OpCode.AveragePool, OpCode.LpPool })
            {
                yield return ($"{d} {pool}", pool, () => Unary(t, pool, [1, 6, 6, 3],
                    NodeAttribute.IntList(AttributeKey.KernelShape, [3, 3]), NodeAttribute.IntList(AttributeKey.Strides, [2, 2]),
                    NodeAttribute.IntList(AttributeKey.Pads, [1, 1, 1, 1])));
            }

            yield return ($"{d} GlobalAveragePool", OpCode.GlobalAveragePool, () => Unary(t, OpCode.GlobalAveragePool, [1, 4, 4, 3]));
            yield return ($"{d} GlobalMaxPool", OpCode.GlobalMaxPool, () => Unary(t, OpCode.GlobalMaxPool, [1, 4, 4, 3]));
            yield return ($"{d} Softmax", OpCode.Softmax, () => Unary(t, OpCode.Softmax, [2, 5], NodeAttribute.Int(AttributeKey.Axis, -1)));
            yield return ($"{d} LogSoftmax", OpCode.LogSoftmax, () => Unary(t, OpCode.LogSoftmax, [2, 5], NodeAttribute.Int(AttributeKey.Axis, 1)));
            yield return ($"{d} Maxout", OpCode.Maxout, () => Unary(t, OpCode.Maxout, [1, 2, 2, 6], NodeAttribute.Int(AttributeKey.GroupSize, 3)));
            yield return ($"{d} BatchNorm", OpCode.BatchNorm, () => BatchNorm(t));
            yield return ($"{d} ChannelClip", OpCode.ChannelClip, () => ChannelClip(t));
            yield return ($"{d} PRelu", OpCode.PRelu, () => PRelu(t));
            foreach (OpCode op in new[] { OpCode.Add, OpCode.Sub, OpCode.Mul, OpCode.Div })
            {
                yield return ($"{d} {op}", op, () => Binary(t, op));
            }

            yield return ($"{d} Concat", OpCode.Concat, () => Concat(t));
            yield return ($"{d} Flatten", OpCode.Flatten, () => Unary(t, OpCode.Flatten, [1, 2, 2, 3], NodeAttribute.Int(AttributeKey.Axis, 1)));
            yield return ($"{d} Reshape", OpCode.Reshape, () => Unary(t, OpCode.Reshape, [1, 2, 2, 3], NodeAttribute.IntList(AttributeKey.Shape, [1, -1])));
            yield return ($"{d} Squeeze", OpCode.Squeeze, () => Unary(t, OpCode.Squeeze, [1, 2, 1, 3], NodeAttribute.IntList(AttributeKey.Axes, [2])));
            yield return ($"{d} Unsqueeze", OpCode.Unsqueeze, () => Unary(t, OpCode.Unsqueeze, [2, 3], NodeAttribute.IntList(AttributeKey.Axes, [0])));
            yield return ($"{d} Transpose", OpCode.Transpose, () => Unary(t, OpCode.Transpose, [1, 2, 3, 4], NodeAttribute.IntList(AttributeKey.Perm, [0, 3, 1, 2])));
            foreach (PadFill fill in new[] { PadFill.Constant, PadFill.Reflect, PadFill.Edge })
            {
                yield return ($"{d} Pad {fill}", OpCode.Pad, () => Unary(t, OpCode.Pad, [1, 3, 3, 2],
                    NodeAttribute.IntList(AttributeKey.Pads, [0, 1, 2, 0, 0, 2, 1, 0]), NodeAttribute.Int(AttributeKey.Mode, (int)fill)));
            }

            foreach (ResizeMode mode in new[] { ResizeMode.Nearest, ResizeMode.Linear })
            {
                yield return ($"{d} Resize {mode}", OpCode.Resize, () => Unary(t, OpCode.Resize, [1, 3, 3, 2],
                    NodeAttribute.IntList(AttributeKey.Sizes, [1, 6, 5, 2]), NodeAttribute.Int(AttributeKey.Mode, (int)mode)));
            }
        }

        yield return ("Quantize", OpCode.Quantize, () =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [2, 8]);
            b.Output(b.Node(OpCode.Quantize, [x], null, s_qOut));
            return b;
        });
        yield return ("Dequantize", OpCode.Dequantize, () =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, [2, 8], s_q);
            b.Output(b.Node(OpCode.Dequantize, [x]));
            return b;
        });
    }

    /// <summary>Fills every input with a deterministic spread of values (negative and positive).</summary>
    public static void FillInputs(InferenceSession s)
    {
        for (int i = 0; i < s.Inputs.Count; i++)
        {
            if (s.Inputs[i].Type == DataType.Float32)
            {
                Span<float> f = s.Input<float>(i);
                for (int k = 0; k < f.Length; k++)
                {
                    f[k] = ((k * 37) % 23 - 11) / 7f;
                }
            }
            else
            {
                Span<sbyte> q = s.Input<sbyte>(i);
                for (int k = 0; k < q.Length; k++)
                {
                    q[k] = (sbyte)((k * 53) % 255 - 127);
                }
            }
        }
    }

    private static TensorRef In(ModelBuilder b, DataType t, int[] shape, string name = "x") =>
        b.Input(name, t, shape, t == DataType.Int8 ? s_q : null);

    private static QuantizationInfo? OutQ(DataType t, OpCode op) =>
        t != DataType.Int8 ? null
        // Data-movement ops keep the input's quantization.
        : op is OpCode.Dropout or OpCode.Flatten or OpCode.Reshape or OpCode.Squeeze or OpCode.Unsqueeze or OpCode.Transpose
            or OpCode.Pad or OpCode.Resize or OpCode.ChannelClip ? s_q
        : s_qOut;

    private static ModelBuilder Unary(DataType t, OpCode op, int[] shape, params NodeAttribute[] attributes)
    {
        var b = new ModelBuilder();
        TensorRef x = In(b, t, shape);
        b.Output(b.Node(op, [x], attributes, OutQ(t, op)));
        return b;
    }

    private static float[] Values(int n, float scale) => Enumerable.Range(0, n).Select(i => ((i * 29 % 17) - 8) * scale).ToArray();

    private static TensorRef Weights(ModelBuilder b, DataType t, int[] shape)
    {
        int n = (int)ShapeMath.ElementCount(shape);
        return t == DataType.Float32
            ? b.Constant("w", Values(n, 0.1f), shape)
            : b.Constant("w", Enumerable.Range(0, n).Select(i => (sbyte)((i * 29 % 41) - 20)).ToArray(), shape,
                QuantizationInfo.PerAxis(Enumerable.Range(0, shape[0]).Select(o => 0.01f * (o + 1)).ToArray(), 0));
    }

    private static TensorRef Bias(ModelBuilder b, DataType t, int count) =>
        t == DataType.Float32 ? b.Constant("b", Values(count, 0.05f), [count]) : b.Constant("b", Enumerable.Range(0, count).Select(i => (i * 7) - 10).ToArray(), [count]);

    private static ModelBuilder Conv(DataType t, int[] x, int[] w, NodeAttribute[] attributes)
    {
        var b = new ModelBuilder();
        TensorRef input = In(b, t, x);
        b.Output(b.Node(OpCode.Conv, [input, Weights(b, t, w), Bias(b, t, w[0])], attributes, OutQ(t, OpCode.Conv)));
        return b;
    }

    private static ModelBuilder WeightOp(DataType t, OpCode op, int[] x, int[] w, int outChannels, NodeAttribute[] attributes)
    {
        var b = new ModelBuilder();
        TensorRef input = In(b, t, x);
        TensorRef weights = op is OpCode.LocallyConnected2D or OpCode.TiledConv2D ? WeightsPerPosition(b, t, w) : Weights(b, t, w);
        b.Output(b.Node(op, [input, weights, Bias(b, t, outChannels)], attributes, OutQ(t, op)));
        return b;
    }

    private static TensorRef WeightsPerPosition(ModelBuilder b, DataType t, int[] shape)
    {
        int n = (int)ShapeMath.ElementCount(shape);
        return t == DataType.Float32
            ? b.Constant("w", Values(n, 0.1f), shape)
            : b.Constant("w", Enumerable.Range(0, n).Select(i => (sbyte)((i * 29 % 41) - 20)).ToArray(), shape, QuantizationInfo.PerTensor(0.02f, 0));
    }

    private static ModelBuilder ChannelClip(DataType t)
    {
        var b = new ModelBuilder();
        TensorRef x = In(b, t, [1, 4, 4, 3]);
        TensorRef lo = b.Constant("lo", [0.1f, float.NegativeInfinity, -0.2f], [3]);
        TensorRef hi = b.Constant("hi", [float.PositiveInfinity, 0.3f, -0.2f], [3]);
        b.Output(b.Node(OpCode.ChannelClip, [x, lo, hi], null, OutQ(t, OpCode.ChannelClip)));
        return b;
    }

    private static ModelBuilder BatchNorm(DataType t)
    {
        var b = new ModelBuilder();
        TensorRef x = In(b, t, [1, 4, 4, 3]);
        TensorRef scale = b.Constant("scale", [1f, 0.5f, 2f], [3]);
        TensorRef bias = b.Constant("bias", [0.1f, -0.2f, 0f], [3]);
        TensorRef mean = b.Constant("mean", [0f, 1f, -1f], [3]);
        TensorRef var = b.Constant("var", [1f, 4f, 0.25f], [3]);
        b.Output(b.Node(OpCode.BatchNorm, [x, scale, bias, mean, var], null, OutQ(t, OpCode.BatchNorm)));
        return b;
    }

    private static ModelBuilder PRelu(DataType t)
    {
        var b = new ModelBuilder();
        TensorRef x = In(b, t, [1, 4, 4, 3]);
        TensorRef slope = t == DataType.Float32
            ? b.Constant("slope", [0.1f, 0.2f, 0.3f], [3])
            : b.Constant("slope", new sbyte[] { 10, 20, 30 }, [3], QuantizationInfo.PerTensor(0.01f, 0));
        b.Output(b.Node(OpCode.PRelu, [x, slope], null, OutQ(t, OpCode.PRelu)));
        return b;
    }

    private static ModelBuilder Binary(DataType t, OpCode op)
    {
        var b = new ModelBuilder();
        TensorRef x = In(b, t, [2, 3, 4]);
        TensorRef y = In(b, t, [4], "y");
        b.Output(b.Node(op, [x, y], null, OutQ(t, op)));
        return b;
    }

    private static ModelBuilder Concat(DataType t)
    {
        var b = new ModelBuilder();
        TensorRef x = In(b, t, [1, 2, 2, 3]);
        TensorRef y = In(b, t, [1, 2, 2, 2], "y");
        b.Output(b.Node(OpCode.Concat, [x, y], [NodeAttribute.Int(AttributeKey.Axis, -1)], OutQ(t, OpCode.Concat)));
        return b;
    }
}
