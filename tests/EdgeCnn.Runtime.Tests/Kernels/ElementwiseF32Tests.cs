using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Every fp32 activation, pooling, softmax and binary row of the kernel table against the reference: lengths and channel
/// counts around every vector width (tails), inputs wide enough to saturate sigmoid / tanh and to overflow exp.
/// </summary>
[Trait("Category", "Kernels")]
public class ElementwiseF32Tests
{
    private static readonly int[] s_lengths = [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 100, 257];

    public static TheoryData<string> UnaryRows() => KernelComparison.Rows(OpCode.Relu, OpCode.Clip, OpCode.LeakyRelu, OpCode.HardSigmoid,
        OpCode.HardSwish, OpCode.Sigmoid, OpCode.Tanh, OpCode.Silu, OpCode.Exp);

    /// <summary>The max rows: their running maximum tracks NaN apart from the max instruction.</summary>
    public static TheoryData<string> MaxPoolRows() => KernelComparison.Rows(OpCode.MaxPool, OpCode.GlobalMaxPool);

    public static TheoryData<string> PoolRows() => KernelComparison.Rows(OpCode.MaxPool, OpCode.AveragePool, OpCode.GlobalMaxPool, OpCode.GlobalAveragePool);

    public static TheoryData<string> SoftmaxRows() => KernelComparison.Rows(OpCode.Softmax, OpCode.LogSoftmax);

    public static TheoryData<string> BatchNormRows() => KernelComparison.Rows(OpCode.BatchNorm);

    public static TheoryData<string> BinaryRows() => KernelComparison.Rows(OpCode.Add, OpCode.Sub, OpCode.Mul, OpCode.Div);

    [Theory]
    [MemberData(nameof(UnaryRows))]
    public void Activation_matches_reference_for_every_length(string kernel)
    {
        OpCode op = Runtime.Kernels.KernelTable.Find(kernel).Op;
        NodeAttribute[] attributes = op switch
        {
            OpCode.Clip => [NodeAttribute.Float(AttributeKey.Min, -0.5f), NodeAttribute.Float(AttributeKey.Max, 2f)],
            OpCode.LeakyRelu => [NodeAttribute.Float(AttributeKey.Alpha, 0.2f)],
            OpCode.HardSigmoid => [NodeAttribute.Float(AttributeKey.Alpha, 0.3f), NodeAttribute.Float(AttributeKey.Beta, 0.4f)],
            _ => [],
        };
        foreach (int n in s_lengths)
        {
            foreach (float scale in (float[])[1f, 12f, 100f])
            {
                var b = new ModelBuilder();
                b.Output(b.Node(op, b.Input("x", DataType.Float32, [1, n]), attributes));
                KernelComparison.Float(b, kernel, $"{op} n={n} inputs in +-{scale}", seed: n, rtol: 2e-5f, atol: 1e-6f, inputScale: scale);
            }
        }
    }

    [Theory]
    [MemberData(nameof(PoolRows))]
    public void Pooling_matches_reference_for_windows_pads_and_channel_tails(string kernel)
    {
        OpCode op = Runtime.Kernels.KernelTable.Find(kernel).Op;
        // 23, 45, 87: four-vector blocks, then single vectors, then a scalar tail at each width (4, 8, 16 lanes).
        foreach (int c in (int[])[1, 3, 4, 8, 13, 16, 17, 23, 33, 45, 87])
        {
            Check(op, kernel, [1, 7, 6, c], [3, 3], [2, 2], [1, 1, 1, 1], null, false, false);
            Check(op, kernel, [2, 6, 6, c], [2, 2], [2, 2], null, null, false, false);
            Check(op, kernel, [1, 8, 7, c], [3, 2], [2, 1], [1, 0, 2, 1], null, true, false);
            Check(op, kernel, [1, 9, 9, c], [3, 3], [1, 1], [2, 2, 2, 2], [2, 2], false, true);
            Check(op, kernel, [1, 7, 7, c], [3, 3], [2, 2], [0, 0, 0, 0], null, true, true); // ceil mode: partial windows
            Check(op, kernel, [1, 11, c], [4], [3], [2, 2], null, false, false);
        }
    }

    [Theory]
    [MemberData(nameof(MaxPoolRows))]
    public void Max_pooling_keeps_a_NaN_from_any_tap_in_every_channel_lane(string kernel)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 4, 4, 87]);
        b.Output(Runtime.Kernels.KernelTable.Find(kernel).Op == OpCode.MaxPool ? b.MaxPool(x, [2, 2], [2, 2]) : b.GlobalMaxPool(x));
        byte[] model = b.Build();
        using var reference = InferenceSession.Load(model, SessionOptions.ReferenceOnly);
        using var optimized = InferenceSession.Load(model, SessionOptions.Only(kernel));
        Assert.True(string.Equals(kernel, optimized.Kernels[0]!.Name, StringComparison.Ordinal), $"{kernel} was not chosen");
        var rng = new Random(5);
        Span<float> a = reference.Input<float>(0), o = optimized.Input<float>(0);
        for (int i = 0; i < a.Length; i++)
        {
            // NaN in the first tap of some windows, a later tap of others, in vector-block, single-vector and tail lanes.
            a[i] = o[i] = i % 29 == 0 || i % 53 == 7 ? float.NaN : (float)rng.NextDouble();
        }

        reference.Run();
        optimized.Run();
        Tolerance.AllClose(reference.Output<float>(0), optimized.Output<float>(0), $"{kernel} NaN taps", 0f, 0f);
    }

    [Theory]
    [MemberData(nameof(SoftmaxRows))]
    public void Softmax_over_the_last_axis_matches_reference(string kernel)
    {
        OpCode op = Runtime.Kernels.KernelTable.Find(kernel).Op;
        foreach (int n in s_lengths)
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [3, 2, n]);
            b.Output(op == OpCode.Softmax ? b.Softmax(x) : b.LogSoftmax(x));
            KernelComparison.Float(b, kernel, $"{op} [3, 2, {n}]", seed: n, rtol: 2e-5f, atol: 1e-6f, inputScale: 20f);
        }

        // Rows of 2 (two-class scores), whole vectors of row pairs then the rows left over, at every width.
        foreach (int rows in (int[])[1, 2, 3, 4, 5, 8, 9, 37])
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [1, rows, 2]);
            b.Output(op == OpCode.Softmax ? b.Softmax(x) : b.LogSoftmax(x));
            KernelComparison.Float(b, kernel, $"{op} [1, {rows}, 2]", seed: rows, rtol: 2e-5f, atol: 1e-6f, inputScale: 20f);
        }
    }

    [Theory]
    [MemberData(nameof(BinaryRows))]
    public void Binary_matches_reference_for_same_shape_channel_vector_and_scalar(string kernel)
    {
        OpCode op = Runtime.Kernels.KernelTable.Find(kernel).Op;
        foreach (int c in s_lengths)
        {
            foreach (int[] bShape in (int[][])[[1, 3, 2, c], [c], [1, 1, 1, c], [1]])
            {
                var b = new ModelBuilder();
                TensorRef x = b.Input("a", DataType.Float32, [1, 3, 2, c]);
                TensorRef y = b.Input("b", DataType.Float32, bShape);
                b.Output(b.Node(op, [x, y]));
                KernelComparison.Float(b, kernel, $"{op} a=[1,3,2,{c}] b={KernelComparison.Describe(bShape)}", seed: c, rtol: 1e-6f, atol: 0f);
            }
        }
    }

    [Theory]
    [MemberData(nameof(BatchNormRows))]
    public void BatchNorm_matches_reference_for_every_channel_tail(string kernel)
    {
        foreach (int c in s_lengths)
        {
            var rng = new Random(c);
            float[] Values(float lo, float hi) => Enumerable.Range(0, c).Select(_ => lo + ((hi - lo) * (float)rng.NextDouble())).ToArray();
            var b = new ModelBuilder();
            b.Output(b.BatchNorm(b.Input("x", DataType.Float32, [2, 3, 5, c]), Values(-2f, 2f), Values(-1f, 1f), Values(-1f, 1f), Values(0.01f, 3f)));
            // Multiply then add, as the reference: identical results.
            KernelComparison.Float(b, kernel, $"BatchNorm x=[2,3,5,{c}]", seed: c, rtol: 0f, atol: 0f, inputScale: 4f);
        }
    }

    private static void Check(OpCode op, string kernel, int[] xShape, int[] k, int[] s, int[]? pads,
        int[]? dilations, bool includePad, bool ceil)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, xShape);
        b.Output(op switch
        {
            OpCode.MaxPool => b.MaxPool(x, k, s, pads, dilations, ceilMode: ceil),
            OpCode.AveragePool => b.AveragePool(x, k, s, pads, includePad, ceilMode: ceil, dilations: dilations),
            OpCode.GlobalMaxPool => b.GlobalMaxPool(x),
            _ => b.GlobalAveragePool(x),
        });
        KernelComparison.Float(b, kernel, $"{op} x={KernelComparison.Describe(xShape)} k={KernelComparison.Describe(k)} s={KernelComparison.Describe(s)} " +
            $"pads={(pads is null ? "none" : KernelComparison.Describe(pads))} includePad={includePad} ceil={ceil}", rtol: 1e-6f, atol: 1e-7f);
    }
}
