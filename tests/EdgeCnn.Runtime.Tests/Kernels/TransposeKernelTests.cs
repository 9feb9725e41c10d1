using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Transpose;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Every optimized Transpose row (fp32 and int8) forced against a reference-only session, bit for bit (a transpose is a
/// copy), for the layout changes the converter emits (NCHW -&gt; NHWC, NHWC -&gt; NCHW) and the other permutations that
/// reduce to a batch of 2-D transposes, over sizes that leave every row and column tail of the 8x8 register tile and the
/// 32x32 cache tile; plus the reduction of permutations itself, including the ones that must stay on the reference.
/// </summary>
[Trait("Category", "Kernels")]
public class TransposeKernelTests
{
    private static readonly int[] s_channels = [1, 2, 3, 4, 7, 8, 9, 16, 17, 31, 32, 33, 40, 65];

    private static readonly (int H, int W)[] s_spatial = [(1, 1), (1, 5), (2, 3), (3, 3), (2, 4), (3, 5), (4, 4), (5, 7), (6, 6), (9, 7), (8, 16), (11, 13)];

    public static TheoryData<string> F32Rows() => KernelComparison.Rows(OpCode.Transpose, DataType.Float32);

    public static TheoryData<string> S8Rows() => KernelComparison.Rows(OpCode.Transpose, DataType.Int8);

    [Theory]
    [MemberData(nameof(F32Rows))]
    public void F32_layout_changes_are_exact(string kernel)
    {
        foreach (int c in s_channels)
        {
            foreach ((int h, int w) in s_spatial)
            {
                Compare(kernel, DataType.Float32, [2, c, h, w], [0, 2, 3, 1]);
                Compare(kernel, DataType.Float32, [1, h, w, c], [0, 3, 1, 2]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(S8Rows))]
    public void S8_layout_changes_are_exact(string kernel)
    {
        foreach (int c in s_channels)
        {
            foreach ((int h, int w) in s_spatial)
            {
                Compare(kernel, DataType.Int8, [2, c, h, w], [0, 2, 3, 1]);
                Compare(kernel, DataType.Int8, [1, h, w, c], [0, 3, 1, 2]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(F32Rows))]
    [MemberData(nameof(S8Rows))]
    public void Other_2d_reducible_permutations_are_exact(string kernel)
    {
        DataType type = KernelTable.Find(kernel).Type;
        Compare(kernel, type, [37, 29], [1, 0]);
        Compare(kernel, type, [8, 8], null);
        Compare(kernel, type, [3, 5, 7, 9], [2, 3, 0, 1]);
        Compare(kernel, type, [3, 10, 1, 12], [0, 3, 2, 1]);
        Compare(kernel, type, [2, 3, 4, 5, 6], [0, 1, 4, 2, 3]);
        Compare(kernel, type, [4, 1, 6], [1, 0, 2]); // moves only an axis of extent 1: a copy
        Compare(kernel, type, [300, 9], [1, 0]);
    }

    [Fact]
    public void Permutations_that_are_not_batched_2d_stay_on_the_reference()
    {
        Assert.False(TransposePlan.Reduce([2, 3, 4], [2, 1, 0]).Batched2D);
        Assert.False(TransposePlan.Reduce([2, 3, 4, 5], [1, 0, 3, 2]).Batched2D);
        Assert.False(TransposePlan.Reduce([2, 3, 4, 5], [3, 1, 2, 0]).Batched2D);
        Assert.Equal((true, 2, 5, 12), TransposePlan.Reduce([2, 5, 3, 4], [0, 2, 3, 1]));
        Assert.Equal((true, 1, 12, 5), TransposePlan.Reduce([1, 3, 4, 5], [0, 3, 1, 2]));
        Assert.Equal((true, 1, 1, 24), TransposePlan.Reduce([2, 1, 3, 4], [1, 0, 2, 3]));

        // The operator falls back to the reference for them even when only the optimized rows are allowed.
        foreach (string kernel in KernelComparison.RowNames(OpCode.Transpose, DataType.Float32, null))
        {
            var b = new ModelBuilder();
            b.Output(b.Transpose(b.Input("x", DataType.Float32, [2, 3, 4]), [2, 1, 0]));
            using InferenceSession s = b.BuildSession(SessionOptions.Only(kernel));
            Assert.DoesNotContain(s.Kernels, k => k is not null && string.Equals(k.Name, kernel, StringComparison.Ordinal));
        }
    }

    private static void Compare(string kernel, DataType type, int[] shape, int[]? perm)
    {
        var b = new ModelBuilder();
        QuantizationInfo? q = type == DataType.Int8 ? QuantizationInfo.PerTensor(0.05f, -3) : null;
        b.Output(b.Transpose(b.Input("x", type, shape, q), perm));
        byte[] bytes = b.Build();
        string context = $"{kernel} x={KernelComparison.Describe(shape)} perm={(perm is null ? "reversed" : KernelComparison.Describe(perm))}";
        using var reference = InferenceSession.Load(bytes, SessionOptions.ReferenceOnly);
        using var optimized = InferenceSession.Load(bytes, SessionOptions.Only(kernel));
        Assert.True(optimized.Kernels.Any(k => k is not null && string.Equals(k.Name, kernel, StringComparison.Ordinal)),
            $"{context}: {kernel} was not chosen; kernels: {string.Join(", ", optimized.Kernels.Select(k => k?.Name))}");
        var rng = new Random(shape.Sum());
        if (type == DataType.Float32)
        {
            Span<float> a = reference.Input<float>(0), o = optimized.Input<float>(0);
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = o[i] = (float)rng.NextDouble() - 0.5f + i; // distinct values: a misplaced element cannot match
            }

            Fill(optimized.Output<float>(0), float.NaN);
            optimized.Run();
            reference.Run();
            Assert.True(reference.Output<float>(0).SequenceEqual(optimized.Output<float>(0)), context);
        }
        else
        {
            Span<sbyte> a = reference.Input<sbyte>(0), o = optimized.Input<sbyte>(0);
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = o[i] = (sbyte)rng.Next(-128, 127); // never 127: the poison below
            }

            Fill(optimized.Output<sbyte>(0), sbyte.MaxValue);
            optimized.Run();
            reference.Run();
            Assert.True(reference.Output<sbyte>(0).SequenceEqual(optimized.Output<sbyte>(0)), context);
        }
    }

    private static unsafe void Fill<T>(ReadOnlySpan<T> output, T value)
        where T : unmanaged
    {
        fixed (T* p = output)
        {
            new Span<T>(p, output.Length).Fill(value);
        }
    }
}
