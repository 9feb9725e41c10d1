using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Pad;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Every optimized fp32 Pad row forced against a reference-only session, bit for bit (a pad is copies and fills): NHWC
/// spatial padding, crops of the innermost axis (the converter's Slice), pads and crops on every axis at once, ranks 1 to 5,
/// crops that leave no input in a row; a reflect or edge Pad must stay on the reference. Plus the axis reduction itself.
/// </summary>
[Trait("Category", "Kernels")]
public class PadKernelTests
{
    public static TheoryData<string> Rows() => KernelComparison.Rows(OpCode.Pad, DataType.Float32);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Constant_pads_and_crops_are_exact(string kernel)
    {
        foreach (int c in (int[])[1, 3, 8, 17])
        {
            Check(kernel, [1, 5, 7, c], [0, 1, 2, 0, 0, 2, 1, 0]); // NHWC spatial padding
            Check(kernel, [2, 4, 6, c], [0, -1, 1, 0, 0, 0, -2, 0]); // crop H, pad and crop W
            Check(kernel, [1, 3, 4, c], [1, 0, 0, 1, 0, 2, 3, 2]); // every axis, the channels too
        }

        Check(kernel, [1, 4420, 4], [0, 0, 0, 0, 0, -2]); // Ultraface's Slice of the box centres
        Check(kernel, [1, 4420, 4], [0, 0, -2, 0, 0, 0]); // and of the sizes
        Check(kernel, [9], [3, -2]);
        Check(kernel, [5, 6], [-5, 1, 2, 0]); // begin crop of the whole axis: the first rows are all fill
        Check(kernel, [3, 5], [0, -6, 0, 3]); // crop past the row: no input in any row
        Check(kernel, [2, 3, 2, 3, 4], [1, 0, 1, 0, -1, 0, 1, 0, 2, 1]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Reflect_and_edge_pads_stay_on_the_reference(string kernel)
    {
        foreach (PadFill mode in (PadFill[])[PadFill.Reflect, PadFill.Edge])
        {
            var b = new ModelBuilder();
            b.Output(b.Pad(b.Input("x", DataType.Float32, [1, 4, 4, 3]), [0, 1, 1, 0, 0, 1, 1, 0], mode));
            using var s = InferenceSession.Load(b.Build(), SessionOptions.Only(kernel));
            Assert.EndsWith("-ref", s.Kernels[0]!.Name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Axes_merge_only_into_unpadded_inner_groups()
    {
        (int[] i, int[] o, int[] b) = PadPlan.Reduce([1, 5, 7, 3], [1, 7, 9, 3], [0, 1, 1, 0]);
        Assert.Equal((int[])[1, 5, 21], i);
        Assert.Equal((int[])[1, 7, 27], o);
        Assert.Equal((int[])[0, 1, 3], b);
        (i, o, b) = PadPlan.Reduce([1, 4420, 4], [1, 4420, 2], [0, 0, -2]);
        Assert.Equal((int[])[4420, 4], i);
        Assert.Equal((int[])[4420, 2], o);
        Assert.Equal((int[])[0, -2], b);
        (i, _, b) = PadPlan.Reduce([2, 3], [5, 3], [2, 0]);
        Assert.Equal((int[])[6], i);
        Assert.Equal((int[])[6], b);
    }

    private static void Check(string kernel, int[] shape, int[] pads)
    {
        var b = new ModelBuilder();
        b.Output(b.Pad(b.Input("x", DataType.Float32, shape), pads, PadFill.Constant, 2.5f));
        KernelComparison.Float(b, kernel, $"Pad x={KernelComparison.Describe(shape)} pads={KernelComparison.Describe(pads)}", rtol: 0f, atol: 0f);
    }
}
