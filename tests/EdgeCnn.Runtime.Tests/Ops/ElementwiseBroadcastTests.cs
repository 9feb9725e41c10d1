using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>fp32 Add/Sub/Mul/Div: broadcasting patterns with hand-written expectations, constants, in-place planning, errors.</summary>
public class ElementwiseBroadcastTests
{
    private static float[] RunBinary(OpCode op, float[] a, int[] shapeA, float[] b, int[] shapeB, int[] expectedShape)
    {
        var m = new ModelBuilder();
        TensorRef ta = m.Input("a", DataType.Float32, shapeA);
        TensorRef tb = m.Input("b", DataType.Float32, shapeB);
        TensorRef y = m.Node(op, [ta, tb]);
        Assert.Equal(expectedShape, m.Shape(y));
        m.Output(y);
        return Run.Float(m, a, b);
    }

    [Fact]
    public void Add_row_vector_over_matrix()
    {
        // [2,3] + [3]: b is added to each row.
        float[] y = RunBinary(OpCode.Add, [1, 2, 3, 4, 5, 6], [2, 3], [10, 20, 30], [3], [2, 3]);
        Tolerance.AllClose([11, 22, 33, 14, 25, 36], y, "[2,3]+[3]");
    }

    [Fact]
    public void Add_both_inputs_broadcast()
    {
        // [2,1,4] + [3,1] -> [2,3,4]: y[i,j,k] = a[i,0,k] + b[j,0].
        float[] a = [0, 1, 2, 3, 10, 11, 12, 13];
        float[] b = [100, 200, 300];
        float[] y = RunBinary(OpCode.Add, a, [2, 1, 4], b, [3, 1], [2, 3, 4]);
        float[] expected =
        [
            100, 101, 102, 103, 200, 201, 202, 203, 300, 301, 302, 303,
            110, 111, 112, 113, 210, 211, 212, 213, 310, 311, 312, 313,
        ];
        Tolerance.AllClose(expected, y, "[2,1,4]+[3,1]");
    }

    [Fact]
    public void Mul_by_scalar_like_one_element()
    {
        float[] y = RunBinary(OpCode.Mul, [1, -2, 3, 0.5f], [4], [2.5f], [1], [4]);
        Tolerance.AllClose([2.5f, -5, 7.5f, 1.25f], y, "[4]*[1]");
    }

    [Fact]
    public void Sub_one_element_minus_higher_rank()
    {
        // [1] - [1,1,1,5] -> [1,1,1,5]: 3 - b.
        float[] y = RunBinary(OpCode.Sub, [3], [1], [1, 2, 3, 4, 5], [1, 1, 1, 5], [1, 1, 1, 5]);
        Tolerance.AllClose([2, 1, 0, -1, -2], y, "[1]-[1,1,1,5]");
    }

    [Fact]
    public void Mul_channels_last_by_per_channel_vector()
    {
        // [1,2,2,3] * [3]: channel c scaled by 1, 10, 100.
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        float[] y = RunBinary(OpCode.Mul, x, [1, 2, 2, 3], [1, 10, 100], [3], [1, 2, 2, 3]);
        Tolerance.AllClose([1, 20, 300, 4, 50, 600, 7, 80, 900, 10, 110, 1200], y, "[1,2,2,3]*[3]");
    }

    [Fact]
    public void Div_by_column_and_ieee_specials()
    {
        // [2,3] / [2,1]: row 0 divided by 2, row 1 by 0 (x/0 = +-inf, 0/0 = NaN).
        float[] y = RunBinary(OpCode.Div, [1, -3, 5, 1, -1, 0], [2, 3], [2, 0], [2, 1], [2, 3]);
        Tolerance.AllClose([0.5f, -1.5f, 2.5f, float.PositiveInfinity, float.NegativeInfinity, float.NaN], y, "[2,3]/[2,1]");
    }

    [Fact]
    public void Same_shape_sub_and_div_elementwise()
    {
        Tolerance.AllClose([-4, 0, 4], RunBinary(OpCode.Sub, [1, 2, 3], [3], [5, 2, -1], [3], [3]), "sub");
        Tolerance.AllClose([0.2f, 1, -3], RunBinary(OpCode.Div, [1, 2, 3], [3], [5, 2, -1], [3], [3]), "div");
    }

    [Fact]
    public void Constant_operand_on_either_side()
    {
        // c - x with c a constant [2,1] first: rows 10 and 20 minus x.
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [2, 2]);
        TensorRef c = m.Constant("c", [10f, 20f], [2, 1]);
        m.Output(m.Sub(c, x));
        Tolerance.AllClose([9, 8, 17, 16], Run.Float(m, [1, 2, 3, 4]), "const - x");

        var m2 = new ModelBuilder();
        TensorRef x2 = m2.Input("x", DataType.Float32, [2, 2]);
        m2.Output(m2.Div(x2, m2.Constant("c", [2f, 4f], [2])));
        Tolerance.AllClose([0.5f, 0.5f, 1.5f, 1f], Run.Float(m2, [1, 2, 3, 4]), "x / const");
    }

    [Fact]
    public void X_plus_x_reads_both_operands_from_one_tensor()
    {
        // relu(x) + relu(x): the relu output is used twice, so the planner must not write over it; result 2 * relu(x).
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [5]);
        TensorRef r = m.Node(OpCode.Relu, x);
        m.Output(m.Add(r, r));
        Tolerance.AllClose([0, 0, 2, 4, 10], Run.Float(m, [-2, 0, 1, 2, 5]), "x+x");
    }

    [Fact]
    public void Add_writes_over_its_dying_input_and_is_still_correct()
    {
        // relu -> add(const [3]) -> output: the relu output dies at the add, so the add runs in place over it.
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [2, 3]);
        TensorRef r = m.Node(OpCode.Relu, x);
        TensorRef y = m.Add(r, m.Constant("c", [1f, 2f, 3f], [3]));
        m.Output(y);
        using InferenceSession s = m.BuildSession();
        Assert.Equal(s.Placements[r.Index].Buffer, s.Placements[y.Index].Buffer);
        float[] input = [-1, 2, -3, 4, -5, 6];
        input.CopyTo(s.Input<float>(0));
        s.Run();
        Tolerance.AllClose([1, 4, 3, 5, 2, 9], s.Output<float>(0), "relu -> add in place");
        s.Run(); // a second run must not see the first run's output as its input
        Tolerance.AllClose([1, 4, 3, 5, 2, 9], s.Output<float>(0), "relu -> add in place, run 2");
    }

    [Fact]
    public void Mul_in_place_with_broadcast_second_operand_chained()
    {
        // (relu(x) * c) - 1 with both steps in place: every step reads element i before writing it.
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [2, 2, 2]);
        TensorRef r = m.Node(OpCode.Relu, x);
        TensorRef p = m.Mul(r, m.Constant("c", [2f, 3f], [2, 1, 1]));
        TensorRef y = m.Sub(p, m.Constant("one", [1f], [1]));
        m.Output(y);
        using InferenceSession s = m.BuildSession();
        Assert.Equal(s.Placements[r.Index].Buffer, s.Placements[y.Index].Buffer);
        float[] input = [1, -1, 2, 3, 4, 5, -6, 7];
        input.CopyTo(s.Input<float>(0));
        s.Run();
        // first half * 2, second half * 3: [2,0,4,6] - 1, [12,15,0,21] - 1
        Tolerance.AllClose([1, -1, 3, 5, 11, 14, -1, 20], s.Output<float>(0), "chain");
    }

    [Fact]
    public void In_place_when_the_output_only_gains_a_leading_one()
    {
        // relu(x [3]) + c [1,3] -> [1,3]: same bytes as the relu output, so the add may write over it.
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [3]);
        TensorRef r = m.Node(OpCode.Relu, x);
        TensorRef y = m.Add(r, m.Constant("c", [10f, 20f, 30f], [1, 3]));
        m.Output(y);
        using InferenceSession s = m.BuildSession();
        Assert.Equal(s.Placements[r.Index].Buffer, s.Placements[y.Index].Buffer);
        new float[] { -1, 2, 3 }.CopyTo(s.Input<float>(0));
        s.Run();
        Tolerance.AllClose([10, 22, 33], s.Output<float>(0), "relu [3] + [1,3]");
    }

    [Fact]
    public void Run_allocates_nothing()
    {
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [2, 3, 4]);
        m.Output(m.Add(x, m.Input("b", DataType.Float32, [3, 1])));
        using InferenceSession s = m.BuildSession();
        AllocationAssert.NoAllocations(s.Run, 100, "f32 broadcast add");
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 2 })]
    [InlineData(new[] { 2, 3 }, new[] { 4, 3 })]
    [InlineData(new[] { 1, 2, 2, 3 }, new[] { 2, 2, 2 })]
    [InlineData(new[] { 5 }, new[] { 3, 4 })]
    public void Incompatible_shapes_are_rejected(int[] shapeA, int[] shapeB)
    {
        var m = new ModelBuilder();
        TensorRef a = m.Input("a", DataType.Float32, shapeA);
        TensorRef b = m.Input("b", DataType.Float32, shapeB);
        var e = Assert.Throws<OpValidationException>(() => m.Add(a, b));
        Assert.Contains("broadcast", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatched_types_and_bad_inputs_are_rejected()
    {
        var m = new ModelBuilder();
        TensorRef f = m.Input("f", DataType.Float32, [3]);
        TensorRef q = m.Input("q", DataType.Int8, [3], QuantizationInfo.PerTensor(0.1f, 0));
        TensorRef i = m.Input("i", DataType.Int32, [3]);
        Assert.Throws<OpValidationException>(() => m.Add(f, q, QuantizationInfo.PerTensor(0.1f, 0)));
        Assert.Throws<OpValidationException>(() => m.Mul(q, f, QuantizationInfo.PerTensor(0.1f, 0)));
        Assert.Throws<OpValidationException>(() => m.Sub(i, i));
        Assert.Throws<OpValidationException>(() => m.Node(OpCode.Div, [f]));
        // int8 without quantization, or with a per-axis quantization, is not an activation.
        TensorRef raw = m.Input("raw", DataType.Int8, [3]);
        Assert.Throws<OpValidationException>(() => m.Add(q, raw, QuantizationInfo.PerTensor(0.1f, 0)));
        TensorRef perAxis = m.Constant("w", new sbyte[] { 1, 2, 3 }, [3], QuantizationInfo.PerAxis([0.1f, 0.2f, 0.3f], 0));
        Assert.Throws<OpValidationException>(() => m.Add(q, perAxis, QuantizationInfo.PerTensor(0.1f, 0)));
        // int8 output without quantization
        Assert.Throws<OpValidationException>(() => m.Add(q, q));
    }
}
