using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// The vector int8 pooling rows (max, average, global max, global average) forced one at a time against reference-only
/// sessions, bit for bit: channel counts hitting every tail of 4, 8, 16 and 32 lanes, windows with padding, dilation, ceil
/// mode and count_include_pad, 1D and 3D, equal and different input/output quantizations (the identity max and the
/// rescaled one), zero points at -128 and 127.
/// </summary>
[Trait("Category", "Kernels")]
public class S8PoolTests
{
    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (OpCode op in (OpCode[])[OpCode.MaxPool, OpCode.AveragePool, OpCode.GlobalMaxPool, OpCode.GlobalAveragePool])
        {
            foreach (KernelInfo k in KernelTable.For(op, DataType.Int8).Where(k => !k.IsReference && k.CanExecute))
            {
                data.Add(k.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Pooling_matches_the_reference(string kernel)
    {
        var rng = new Random(31);
        OpCode op = KernelTable.Find(kernel).Op;
        (float Scale, int Zero)[] quant = [(0.1f, 0), (0.1f, 0), (0.02f, -128), (0.3f, 127), (0.05f, 7)];
        foreach (int c in (int[])[1, 3, 4, 5, 8, 13, 16, 17, 31, 32, 33, 47, 64, 70])
        {
            (float si, int zi) = quant[c % quant.Length];
            (float so, int zo) = c % 3 == 0 ? (si, zi) : quant[(c / 3) % quant.Length];
            var b = new ModelBuilder();
            int[] shape = c % 4 == 0 ? [1, 7, c] : c % 4 == 1 ? [2, 5, 6, c] : [1, 3, 4, 5, c];
            TensorRef x = b.Input("x", DataType.Int8, shape, QuantizationInfo.PerTensor(si, zi));
            QuantizationInfo qo = QuantizationInfo.PerTensor(so, zo);
            int r = shape.Length - 2;
            int[] k = Enumerable.Repeat(3, r).ToArray(), s = Enumerable.Repeat(c % 2 == 0 ? 2 : 1, r).ToArray();
            int[] pads = Enumerable.Repeat(c % 5 == 0 ? 0 : 1, 2 * r).ToArray();
            b.Output(op switch
            {
                OpCode.MaxPool => b.MaxPool(x, k, s, pads, dilations: c % 13 == 0 ? Enumerable.Repeat(2, r).ToArray() : null, ceilMode: c % 3 == 1,
                    outputQuantization: qo),
                OpCode.AveragePool => b.AveragePool(x, k, s, pads, countIncludePad: c % 2 == 1, ceilMode: c % 3 == 1, outputQuantization: qo),
                OpCode.GlobalMaxPool => b.GlobalMaxPool(x, qo),
                _ => b.GlobalAveragePool(x, qo),
            });
            Compare(b, kernel, $"{op} x[{string.Join(",", shape)}] ({si}, {zi}) -> ({so}, {zo})", rng);
        }
    }

    private static void Compare(ModelBuilder model, string kernel, string context, Random rng)
    {
        byte[] bytes = model.Build();
        using var reference = InferenceSession.Load(bytes, SessionOptions.ReferenceOnly);
        using var optimized = InferenceSession.Load(bytes, SessionOptions.Only(kernel));
        Assert.True(optimized.Kernels.Any(k => k is not null && string.Equals(k.Name, kernel, StringComparison.Ordinal)),
            $"{context}: {kernel} was not chosen; kernels: {string.Join(", ", optimized.Kernels.Select(k => k?.Name))}");
        Span<sbyte> a = reference.Input<sbyte>(0), c = optimized.Input<sbyte>(0);
        for (int j = 0; j < a.Length; j++)
        {
            int pick = rng.Next(8);
            a[j] = c[j] = pick == 0 ? sbyte.MinValue : pick == 1 ? sbyte.MaxValue : (sbyte)rng.Next(-128, 128);
        }

        reference.Run();
        optimized.Run();
        Tolerance.Equal(reference.Output<sbyte>(0), optimized.Output<sbyte>(0), $"{kernel} {context}");
    }
}
