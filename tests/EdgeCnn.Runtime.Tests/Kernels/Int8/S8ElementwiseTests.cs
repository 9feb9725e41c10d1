using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// The vector int8 element-wise rows (Quantize, Dequantize, Add, Sub, Concat requantization) through planned sessions:
/// each row forced with SessionOptions.Only against a reference-only session of the same model, bit for bit, over every
/// length 1..70 (every vector tail), zero points at -128 and 127, and for Quantize NaN, infinities and exact ties.
/// </summary>
[Trait("Category", "Kernels")]
public class S8ElementwiseTests
{
    public static TheoryData<string> Rows(OpCode op, DataType type)
    {
        var data = new TheoryData<string>();
        foreach (KernelInfo k in KernelTable.For(op, type).Where(k => !k.IsReference && k.CanExecute))
        {
            data.Add(k.Name);
        }

        return data;
    }

    public static TheoryData<string> QuantizeRows() => Rows(OpCode.Quantize, DataType.Float32);

    public static TheoryData<string> DequantizeRows() => Rows(OpCode.Dequantize, DataType.Int8);

    public static TheoryData<string> AddRows() => Rows(OpCode.Add, DataType.Int8);

    public static TheoryData<string> SubRows() => Rows(OpCode.Sub, DataType.Int8);

    public static TheoryData<string> ConcatRows() => Rows(OpCode.Concat, DataType.Int8);

    public static TheoryData<string> MulRows() => Rows(OpCode.Mul, DataType.Int8);

    public static TheoryData<string> DivRows() => Rows(OpCode.Div, DataType.Int8);

    public static TheoryData<string> SoftmaxRows() => Rows(OpCode.Softmax, DataType.Int8);

    public static TheoryData<string> LutRows()
    {
        var data = new TheoryData<string>();
        foreach (KernelInfo k in KernelTable.All.Where(k => k.Type == DataType.Int8 && !k.IsReference && k.CanExecute && k.Name.Contains("-lut-", StringComparison.Ordinal)
            && k.Op is not (OpCode.Mul or OpCode.Div or OpCode.Softmax)))
        {
            data.Add(k.Name);
        }

        return data;
    }

    private static readonly (float Scale, int Zero)[] s_quant = [(0.1f, 0), (0.0037f, -128), (3f, 127), (0.05f, 9), (1f, -7)];

    [Theory]
    [MemberData(nameof(QuantizeRows))]
    public void Quantize_matches_the_reference(string kernel)
    {
        var rng = new Random(21);
        for (int n = 1; n <= 70; n++)
        {
            (float scale, int zero) = s_quant[n % s_quant.Length];
            var b = new ModelBuilder();
            b.Output(b.Quantize(b.Input("x", DataType.Float32, [n]), QuantizationInfo.PerTensor(scale, zero)));
            float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f * scale, -2.5f * scale, 1e30f, -1e30f, 127.5f * scale];
            Compare(b, kernel, $"quantize n {n} scale {scale} zero {zero}", rng, (r, i) => (r.Next(4) == 0
                ? special[r.Next(special.Length)]
                : (float)((r.NextDouble() - 0.5) * 300 * scale)));
        }
    }

    [Theory]
    [MemberData(nameof(DequantizeRows))]
    public void Dequantize_matches_the_reference(string kernel)
    {
        var rng = new Random(22);
        for (int n = 1; n <= 70; n++)
        {
            (float scale, int zero) = s_quant[n % s_quant.Length];
            var b = new ModelBuilder();
            b.Output(b.Dequantize(b.Input("q", DataType.Int8, [n], QuantizationInfo.PerTensor(scale, zero))));
            Compare(b, kernel, $"dequantize n {n} scale {scale} zero {zero}", rng, null);
        }
    }

    [Theory]
    [MemberData(nameof(AddRows))]
    [MemberData(nameof(SubRows))]
    public void Add_and_sub_match_the_reference(string kernel)
    {
        var rng = new Random(23);
        bool sub = kernel.Contains("-vsub-", StringComparison.Ordinal);
        for (int n = 1; n <= 70; n++)
        {
            (float sa, int za) = s_quant[n % s_quant.Length];
            (float sb, int zb) = s_quant[(n / 5) % s_quant.Length];
            (float sy, int zy) = s_quant[(n / 25) % s_quant.Length];
            var b = new ModelBuilder();
            TensorRef x0 = b.Input("a", DataType.Int8, [1, n], QuantizationInfo.PerTensor(sa, za));
            TensorRef x1 = b.Input("b", DataType.Int8, [1, n], QuantizationInfo.PerTensor(sb, zb));
            QuantizationInfo qy = QuantizationInfo.PerTensor(sy, zy);
            b.Output(sub ? b.Sub(x0, x1, qy) : b.Add(x0, x1, qy));
            Compare(b, kernel, $"{(sub ? "sub" : "add")} n {n} a ({sa}, {za}) b ({sb}, {zb}) y ({sy}, {zy})", rng, null);
        }
    }

    /// <summary>
    /// Mul (TFLite fixed point) and Div (via fp32) under broadcasting, as the table rows compute them: same shapes, a scalar,
    /// a per-channel vector, a middle axis, both sides broadcast; quantizations with zero points at the ends; a zero divisor.
    /// </summary>
    [Theory]
    [MemberData(nameof(MulRows))]
    [MemberData(nameof(DivRows))]
    public void Mul_and_div_under_broadcasting_match_the_reference(string kernel)
    {
        var rng = new Random(25);
        bool div = kernel.Contains("-vdiv-", StringComparison.Ordinal);
        (int[] A, int[] B)[] shapes = [([2, 17], [2, 17]), ([1, 30, 2], [1]), ([1, 9, 4], [1, 1, 4]), ([3, 5, 2], [1, 5, 1]), ([4, 1, 3], [1, 6, 1]), ([1], [7, 3])];
        for (int i = 0; i < shapes.Length * 3; i++)
        {
            (int[] sa, int[] sb) = shapes[i % shapes.Length];
            (float qa, int za) = s_quant[i % s_quant.Length];
            (float qb, int zb) = s_quant[(i + 2) % s_quant.Length];
            (float qy, int zy) = s_quant[(i + 4) % s_quant.Length];
            var b = new ModelBuilder();
            TensorRef x0 = b.Input("a", DataType.Int8, sa, QuantizationInfo.PerTensor(qa, za));
            TensorRef x1 = b.Input("b", DataType.Int8, sb, QuantizationInfo.PerTensor(qb, zb));
            QuantizationInfo y = QuantizationInfo.PerTensor(qy, zy);
            b.Output(div ? b.Div(x0, x1, y) : b.Mul(x0, x1, y));
            Compare(b, kernel, $"{(div ? "div" : "mul")} [{string.Join(",", sa)}] x [{string.Join(",", sb)}] a ({qa}, {za}) b ({qb}, {zb}) y ({qy}, {zy})", rng, null);
        }
    }

    /// <summary>Every activation's table row over every length 1..70 (each tail of 32) and two long ones, in place of the reference table loop.</summary>
    [Theory]
    [MemberData(nameof(LutRows))]
    public void Activation_tables_match_the_reference(string kernel)
    {
        Assert.True(((IEnumerable<object[]>)LutRows()).Count() >= 12, "every int8 activation has a table row");
        var rng = new Random(27);
        OpCode op = KernelTable.Find(kernel).Op;
        foreach (int n in Enumerable.Range(1, 70).Concat([257, 1000]))
        {
            (float qi, int zi) = s_quant[n % s_quant.Length];
            (float qo, int zo) = s_quant[(n / 5) % s_quant.Length];
            var b = new ModelBuilder();
            b.Output(b.Node(op, [b.Input("x", DataType.Int8, [1, n], QuantizationInfo.PerTensor(qi, zi))], null, QuantizationInfo.PerTensor(qo, zo)));
            Compare(b, kernel, $"{op} n {n} x ({qi}, {zi}) y ({qo}, {zo})", rng, null);
        }
    }

    /// <summary>Softmax along the last, a middle and the first axis, rows of 1 to 40, input scales small and large, with the converter's 1/256 output.</summary>
    [Theory]
    [MemberData(nameof(SoftmaxRows))]
    public void Softmax_matches_the_reference(string kernel)
    {
        var rng = new Random(26);
        (int[] Shape, int Axis)[] cases = [([4420, 2], 1), ([3, 40], -1), ([2, 5, 3], 1), ([7, 1], 1), ([6, 4], 0), ([1, 17], 1)];
        for (int i = 0; i < cases.Length * 2; i++)
        {
            (int[] shape, int axis) = cases[i % cases.Length];
            (float qi, int zi) = s_quant[i % s_quant.Length];
            QuantizationInfo qy = i % 2 == 0 ? QuantizationInfo.PerTensor(1f / 256, -128) : QuantizationInfo.PerTensor(0.01f, -20);
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, shape, QuantizationInfo.PerTensor(qi, zi));
            b.Output(b.Node(OpCode.Softmax, [x], [NodeAttribute.Int(AttributeKey.Axis, axis)], qy));
            Compare(b, kernel, $"softmax [{string.Join(",", shape)}] axis {axis} x ({qi}, {zi}) y ({qy.Scale}, {qy.ZeroPoint})", rng, null);
        }
    }

    [Theory]
    [MemberData(nameof(ConcatRows))]
    public void Concat_requantization_matches_the_reference(string kernel)
    {
        var rng = new Random(24);
        foreach ((int[] shape, int axis) in new (int[], int)[] { ([2, 3, 5], 2), ([2, 7, 3], 1), ([1, 4, 33], 2), ([3, 1, 1], 0), ([1, 300, 2], 2), ([7, 15], 1), ([9, 4, 1], 2) })
        {
            var b = new ModelBuilder();
            var inputs = new TensorRef[3];
            for (int i = 0; i < 3; i++)
            {
                (float s, int z) = s_quant[i + 1];
                int[] sh = (int[])shape.Clone();
                sh[axis] += i;
                inputs[i] = b.Input($"x{i}", DataType.Int8, sh, QuantizationInfo.PerTensor(s, z));
            }

            b.Output(b.Concat(inputs, axis, QuantizationInfo.PerTensor(0.05f, 9))); // input 2 has the output's quantization: a copy
            Compare(b, kernel, $"concat [{string.Join(",", shape)}] axis {axis}", rng, null);
        }
    }

    /// <summary>Forced row vs reference: same random inputs (int8 raw, or fp32 from the generator), outputs equal bit for bit.</summary>
    private static unsafe void Compare(ModelBuilder model, string kernel, string context, Random rng, Func<Random, int, float>? floats)
    {
        byte[] bytes = model.Build();
        using var reference = InferenceSession.Load(bytes, SessionOptions.ReferenceOnly);
        using var optimized = InferenceSession.Load(bytes, SessionOptions.Only(kernel));
        Assert.True(optimized.Kernels.Any(k => k is not null && string.Equals(k.Name, kernel, StringComparison.Ordinal)),
            $"{context}: {kernel} was not chosen; kernels: {string.Join(", ", optimized.Kernels.Select(k => k?.Name))}");
        for (int i = 0; i < reference.Inputs.Count; i++)
        {
            if (floats is not null)
            {
                Span<float> a = reference.Input<float>(i), c = optimized.Input<float>(i);
                for (int j = 0; j < a.Length; j++)
                {
                    a[j] = c[j] = floats(rng, j);
                }
            }
            else
            {
                Span<sbyte> a = reference.Input<sbyte>(i), c = optimized.Input<sbyte>(i);
                for (int j = 0; j < a.Length; j++)
                {
                    int pick = rng.Next(8);
                    a[j] = c[j] = pick == 0 ? sbyte.MinValue : pick == 1 ? sbyte.MaxValue : (sbyte)rng.Next(-128, 128);
                }
            }
        }

        reference.Run();
        optimized.Run();
        if (reference.Outputs[0].Type == DataType.Float32)
        {
            ReadOnlySpan<float> e = reference.Output<float>(0), a = optimized.Output<float>(0);
            for (int j = 0; j < e.Length; j++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(e[j]) == BitConverter.SingleToInt32Bits(a[j]), $"{kernel} {context}: element {j} is {a[j]}, expected {e[j]}");
            }
        }
        else
        {
            Tolerance.Equal(reference.Output<sbyte>(0), optimized.Output<sbyte>(0), $"{kernel} {context}");
        }
    }
}
