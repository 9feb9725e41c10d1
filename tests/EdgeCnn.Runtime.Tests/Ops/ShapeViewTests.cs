using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>Flatten, Reshape, Squeeze, Unsqueeze, Dropout: shapes by hand, data unchanged, and the planner's sharing.</summary>
public class ShapeViewTests
{
    private static float[] Iota(int n) => Enumerable.Range(0, n).Select(i => (float)i).ToArray();

    private static (int[] Shape, float[] Y) RunView(int[] inShape, Func<ModelBuilder, TensorRef, TensorRef> view)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, inShape);
        TensorRef y = view(b, x);
        b.Output(y);
        float[] data = Iota((int)ShapeMath.ElementCount(inShape));
        return (b.Shape(y), Run.Float(b, data));
    }

    [Theory]
    [InlineData(0, new[] { 1, 24 })] // nothing before axis 0: [1, 2*3*4]
    [InlineData(1, new[] { 2, 12 })]
    [InlineData(2, new[] { 6, 4 })]  // [2*3, 4]
    [InlineData(3, new[] { 24, 1 })]
    [InlineData(-1, new[] { 6, 4 })]
    public void Flatten_splits_dims_at_the_axis(int axis, int[] expected)
    {
        (int[] shape, float[] y) = RunView([2, 3, 4], (b, x) => b.Flatten(x, axis));
        Assert.Equal(expected, shape);
        Assert.Equal(Iota(24), y); // row-major order is untouched
    }

    [Theory]
    [InlineData(new[] { 0, -1 }, new[] { 2, 12 })]    // 0 copies d0 = 2; -1 = 24 / 2
    [InlineData(new[] { -1, 4 }, new[] { 6, 4 })]     // 24 / 4
    [InlineData(new[] { 4, 0, 2 }, new[] { 4, 3, 2 })] // 0 copies d1 = 3
    [InlineData(new[] { 0, 0, 0 }, new[] { 2, 3, 4 })]
    [InlineData(new[] { 24 }, new[] { 24 })]
    public void Reshape_copies_zeros_and_infers_minus_one(int[] target, int[] expected)
    {
        (int[] shape, float[] y) = RunView([2, 3, 4], (b, x) => b.Reshape(x, target));
        Assert.Equal(expected, shape);
        Assert.Equal(Iota(24), y);
    }

    [Fact]
    public void Squeeze_removes_listed_or_all_unit_axes()
    {
        Assert.Equal([3, 2], RunView([1, 3, 1, 2], (b, x) => b.Squeeze(x)).Shape);
        Assert.Equal([3, 1, 2], RunView([1, 3, 1, 2], (b, x) => b.Squeeze(x, [0])).Shape);
        (int[] shape, float[] y) = RunView([1, 3, 1, 2], (b, x) => b.Squeeze(x, [-2]));
        Assert.Equal([1, 3, 2], shape);
        Assert.Equal(Iota(6), y);
    }

    [Fact]
    public void Unsqueeze_inserts_unit_axes_at_output_positions()
    {
        Assert.Equal([1, 3, 2, 1], RunView([3, 2], (b, x) => b.Unsqueeze(x, [0, 3])).Shape);
        Assert.Equal([3, 2, 1], RunView([3, 2], (b, x) => b.Unsqueeze(x, [-1])).Shape);
        (int[] shape, float[] y) = RunView([3, 2], (b, x) => b.Unsqueeze(x, [1]));
        Assert.Equal([3, 1, 2], shape);
        Assert.Equal(Iota(6), y);
    }

    [Fact]
    public void Dropout_is_the_identity_and_ignores_its_ratio()
    {
        (int[] shape, float[] y) = RunView([2, 3], (b, x) => b.Node(OpCode.Dropout, x, NodeAttribute.Float(AttributeKey.Alpha, 0.5f)));
        Assert.Equal([2, 3], shape);
        Assert.Equal(Iota(6), y);
        Assert.Equal(Iota(6), RunView([2, 3], (b, x) => b.Dropout(x)).Y);
    }

    [Fact]
    public void Int8_views_keep_values_and_quantization()
    {
        QuantizationInfo q = QuantizationInfo.PerTensor(0.1f, 7);
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [1, 2, 3], q);
        TensorRef y = b.Dropout(b.Unsqueeze(b.Squeeze(b.Reshape(b.Flatten(x, 2), [3, 2]), null), [0]));
        b.Output(y);
        Assert.Equal([1, 3, 2], b.Shape(y));
        Assert.Same(q, b.Desc(y).Quantization);
        Tolerance.Equal([-128, -1, 0, 5, 7, 127], Run.Int8(b, [-128, -1, 0, 5, 7, 127]), "s8 view chain");
    }

    [Fact]
    public void Reshape_output_shares_its_input_buffer_and_runs_no_kernel()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [2, 3]);
        TensorRef r = b.Node(OpCode.Relu, x);
        TensorRef y = b.Reshape(r, [3, 2]);
        b.Output(y);
        using InferenceSession s = b.BuildSession();
        TensorPlacement pr = s.Placements[r.Index], py = s.Placements[y.Index];
        Assert.Equal(pr.Buffer, py.Buffer);
        Assert.Equal(pr.ArenaOffset, py.ArenaOffset);
        Assert.NotEqual(s.Placements[x.Index].ArenaOffset, py.ArenaOffset); // relu cannot overwrite the pinned graph input
        Assert.NotNull(s.Kernels[0]);
        Assert.Null(s.Kernels[1]);
        new float[] { -1, 2, -3, 4, -5, 6 }.CopyTo(s.Input<float>(0));
        s.Run();
        Assert.Equal([0f, 2, 0, 4, 0, 6], s.Output<float>(0).ToArray());
    }

    [Fact]
    public void View_of_a_constant_reads_the_weights_in_place()
    {
        // c [2, 2] -> Reshape [1, 4] -> Concat with x [1, 4] on axis 0.
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 4]);
        TensorRef c = b.Constant("c", [10f, 20f, 30f, 40f], [2, 2]);
        TensorRef rc = b.Reshape(c, [1, 4]);
        b.Output(b.Concat([x, rc], 0));
        using InferenceSession s = b.BuildSession();
        Assert.True(s.Placements[rc.Index].IsConstant);
        new float[] { 1, 2, 3, 4 }.CopyTo(s.Input<float>(0));
        s.Run();
        Assert.Equal([1f, 2, 3, 4, 10, 20, 30, 40], s.Output<float>(0).ToArray());
    }

    [Fact]
    public void View_operators_never_create_kernels()
    {
        foreach (OpCode code in new[] { OpCode.Flatten, OpCode.Reshape, OpCode.Squeeze, OpCode.Unsqueeze, OpCode.Dropout })
        {
            Operator op = OpRegistry.Get(code);
            Assert.Equal(OutputAliasing.View, op.Aliasing);
            Assert.Throws<InvalidOperationException>(() => op.CreateKernel(null!));
        }
    }
}
