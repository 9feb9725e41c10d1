using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Every optimized fp32 Concat row forced against a reference-only session, bit for bit (a concat is copies): channel
/// concats in NHWC with blocks on both sides of the short-block cut (16 floats), the last-axis concats of box decoding
/// (blocks of 2), other axes, one to four inputs.
/// </summary>
[Trait("Category", "Kernels")]
public class ConcatKernelTests
{
    public static TheoryData<string> Rows() => KernelComparison.Rows(OpCode.Concat, DataType.Float32);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Concat_is_exact_for_short_and_long_blocks_and_every_axis(string kernel)
    {
        foreach ((int a, int b) in ((int, int)[])[(1, 1), (2, 2), (3, 13), (15, 16), (16, 17), (64, 64), (40, 7)])
        {
            Check(kernel, 3, [1, 3, 5, a], [1, 3, 5, b]);
        }

        Check(kernel, 2, [1, 4420, 2], [1, 4420, 2]);
        Check(kernel, 1, [2, 3, 4], [2, 5, 4], [2, 1, 4]);
        Check(kernel, 0, [3, 7], [2, 7]);
        Check(kernel, 1, [1, 9, 9, 33]);
        Check(kernel, 3, [1, 2, 2, 5], [1, 2, 2, 1], [1, 2, 2, 20], [1, 2, 2, 3]);
    }

    private static void Check(string kernel, int axis, params int[][] shapes)
    {
        var b = new ModelBuilder();
        TensorRef[] inputs = shapes.Select((s, i) => b.Input($"x{i}", DataType.Float32, s)).ToArray();
        b.Output(b.Concat(inputs, axis));
        KernelComparison.Float(b, kernel, $"Concat axis={axis} inputs={string.Join(" ", shapes.Select(KernelComparison.Describe))}", rtol: 0f, atol: 0f);
    }
}
