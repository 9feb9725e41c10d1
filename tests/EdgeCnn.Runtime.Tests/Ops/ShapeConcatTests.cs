using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

public class ShapeConcatTests
{
    private static (int[] Shape, float[] Y) RunConcat(int axis, params (int[] Shape, float[] Data)[] inputs)
    {
        var b = new ModelBuilder();
        TensorRef[] xs = inputs.Select((t, i) => b.Input($"x{i}", DataType.Float32, t.Shape)).ToArray();
        TensorRef y = b.Concat(xs, axis);
        b.Output(y);
        return (b.Shape(y), Run.Float(b, inputs.Select(t => t.Data).ToArray()));
    }

    [Fact]
    public void Axis_0_stacks_rows()
    {
        // [[1, 2]] ++ [[3, 4], [5, 6]]
        (int[] shape, float[] y) = RunConcat(0, ([1, 2], [1, 2]), ([2, 2], [3, 4, 5, 6]));
        Assert.Equal([3, 2], shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], y);
    }

    [Fact]
    public void Axis_minus_1_interleaves_rows()
    {
        // [[1], [2]] ++ [[3, 4], [5, 6]] -> [[1, 3, 4], [2, 5, 6]]
        (int[] shape, float[] y) = RunConcat(-1, ([2, 1], [1, 2]), ([2, 2], [3, 4, 5, 6]));
        Assert.Equal([2, 3], shape);
        Assert.Equal([1f, 3, 4, 2, 5, 6], y);
    }

    [Fact]
    public void Middle_axis_of_three_inputs()
    {
        // a [2,1,2] = [[[1,2]],[[3,4]]]; b [2,2,2] = [[[5,6],[7,8]],[[9,10],[11,12]]]; c [2,1,2] = [[[13,14]],[[15,16]]]
        (int[] shape, float[] y) = RunConcat(1, ([2, 1, 2], [1, 2, 3, 4]), ([2, 2, 2], [5, 6, 7, 8, 9, 10, 11, 12]), ([2, 1, 2], [13, 14, 15, 16]));
        Assert.Equal([2, 4, 2], shape);
        Assert.Equal([1f, 2, 5, 6, 7, 8, 13, 14, 3, 4, 9, 10, 11, 12, 15, 16], y);
    }

    [Fact]
    public void Single_input_is_a_copy()
    {
        (int[] shape, float[] y) = RunConcat(1, ([2, 2], [1, 2, 3, 4]));
        Assert.Equal([2, 2], shape);
        Assert.Equal([1f, 2, 3, 4], y);
    }

    [Fact]
    public void Same_tensor_twice()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 2]);
        b.Output(b.Concat([x, x], 1));
        Assert.Equal([7f, 8, 7, 8], Run.Float(b, [7, 8]));
    }

    [Fact]
    public void Int8_equal_quantization_copies_and_others_requantize_in_fixed_point()
    {
        // Output: scale 0.5, zp -1. Each input [2, 2], concat on the last axis -> [2, 6].
        // a: scale 0.5, zp -1 (the output's) -> copied bit for bit.
        // b: scale 1.0, zp 5 -> M = 2 = 2^30 * 2^(2 - 31): y = -1 + 2 (q - 5)
        //    q = 5 -> -1; 6 -> 1; 0 -> -11; 127 -> -1 + 244 = 243 -> saturates to 127.
        // c: scale 0.25, zp 0 -> M = 0.5 = 2^30 * 2^(0 - 31): y = -1 + SRDHM(q, 2^30) (gemmlowp's rounding, not half-even):
        //    q = 3 -> 1.5 -> 2 -> 1; q = -3 -> -1.5 -> -1 (the negative nudge rounds the half up) -> -2;
        //    q = 1 -> 0.5 -> 1 -> 0; q = -128 -> -64 -> -65.
        QuantizationInfo qa = QuantizationInfo.PerTensor(0.5f, -1), qb = QuantizationInfo.PerTensor(1f, 5), qc = QuantizationInfo.PerTensor(0.25f, 0);
        var b = new ModelBuilder();
        TensorRef a = b.Input("a", DataType.Int8, [2, 2], qa);
        TensorRef bb = b.Input("b", DataType.Int8, [2, 2], qb);
        TensorRef c = b.Input("c", DataType.Int8, [2, 2], qc);
        b.Output(b.Concat([a, bb, c], -1, QuantizationInfo.PerTensor(0.5f, -1)));
        using InferenceSession s = b.BuildSession();
        // The best vector requantizing concat of this CPU (the reference when none is supported); the values below hold for both.
        string expected = EdgeCnn.Runtime.Kernels.KernelTable.For(OpCode.Concat, DataType.Int8).FirstOrDefault(k => k.IsSupported && !k.IsReference)?.Name
            ?? "s8-concat-requant-ref";
        Assert.Equal(expected, s.Kernels[0]!.Name);
        using InferenceSession reference = b.BuildSession(SessionOptions.ReferenceOnly);
        Assert.Equal("s8-concat-requant-ref", reference.Kernels[0]!.Name);
        sbyte[] y = Run.Int8(b, [10, -20, 127, -128], [5, 6, 0, 127], [3, -3, 1, -128]);
        Tolerance.Equal([10, -20, -1, 1, 1, -2, 127, -128, -11, 127, 0, -65], y, "s8 concat requant");
    }

    [Fact]
    public void Int8_all_equal_quantization_is_a_plain_copy()
    {
        QuantizationInfo q = QuantizationInfo.PerTensor(0.1f, 3);
        var b = new ModelBuilder();
        TensorRef a = b.Input("a", DataType.Int8, [1, 2], q);
        TensorRef c = b.Input("c", DataType.Int8, [2, 2], QuantizationInfo.PerTensor(0.1f, 3));
        b.Output(b.Concat([a, c], 0));
        using InferenceSession s = b.BuildSession();
        Assert.Equal("s8-concat-ref", s.Kernels[0]!.Name);
        Tolerance.Equal([-128, 127, 1, 2, 3, 4], Run.Int8(b, [-128, 127], [1, 2, 3, 4]), "s8 concat copy");
    }
}
