using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

public class ShapeTransposeTests
{
    // x[i, j, k] = 100 i + 10 j + k over [2, 3, 4]: every value names its own coordinates.
    private static float[] Coded(int a, int b, int c)
    {
        var x = new float[a * b * c];
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
            {
                for (int k = 0; k < c; k++)
                {
                    x[(((i * b) + j) * c) + k] = (100 * i) + (10 * j) + k;
                }
            }
        }

        return x;
    }

    private static (int[] Shape, float[] Y) RunTranspose(int[] shape, float[] x, int[]? perm)
    {
        var b = new ModelBuilder();
        TensorRef t = b.Transpose(b.Input("x", DataType.Float32, shape), perm);
        b.Output(t);
        return (b.Shape(t), Run.Float(b, x));
    }

    [Fact]
    public void Matrix_transpose_by_hand()
    {
        // [[1, 2, 3], [4, 5, 6]] -> [[1, 4], [2, 5], [3, 6]]
        (int[] shape, float[] y) = RunTranspose([2, 3], [1, 2, 3, 4, 5, 6], null);
        Assert.Equal([3, 2], shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], y);
    }

    [Fact]
    public void Perm_2_0_1_of_2x3x4_by_hand()
    {
        // y[k, i, j] = x[i, j, k]: y is [4, 2, 3]; its first row is k = 0 over (i, j): 0, 10, 20, 100, 110, 120.
        (int[] shape, float[] y) = RunTranspose([2, 3, 4], Coded(2, 3, 4), [2, 0, 1]);
        Assert.Equal([4, 2, 3], shape);
        Assert.Equal([0f, 10, 20, 100, 110, 120], y[..6]);
        Assert.Equal([3f, 13, 23, 103, 113, 123], y[18..]); // k = 3
    }

    [Theory]
    [InlineData(null)]
    [InlineData(new[] { 0, 1, 2 })]
    [InlineData(new[] { 0, 2, 1 })]
    [InlineData(new[] { 1, 0, 2 })]
    [InlineData(new[] { 1, 2, 0 })]
    [InlineData(new[] { 2, 1, 0 })]
    public void Every_perm_of_2x3x4_matches_the_coordinate_code(int[]? perm)
    {
        int[] p = perm ?? [2, 1, 0]; // default: reversed axes
        int[] dims = [2, 3, 4];
        (int[] shape, float[] y) = RunTranspose(dims, Coded(2, 3, 4), perm);
        Assert.Equal(new[] { dims[p[0]], dims[p[1]], dims[p[2]] }, shape);
        // Naive: output (a, b, c) holds x at coordinates in[p[0]] = a, in[p[1]] = b, in[p[2]] = c.
        int n = 0;
        for (int a = 0; a < shape[0]; a++)
        {
            for (int bb = 0; bb < shape[1]; bb++)
            {
                for (int c = 0; c < shape[2]; c++)
                {
                    var coord = new int[3];
                    coord[p[0]] = a;
                    coord[p[1]] = bb;
                    coord[p[2]] = c;
                    Assert.Equal((100 * coord[0]) + (10 * coord[1]) + coord[2], y[n++]);
                }
            }
        }
    }

    [Fact]
    public void Rank_6_nhwc_to_nchw_style_perm()
    {
        // [1, 2, 1, 1, 1, 3] with perm moving the last axis to position 1: y[0, c, h, ...] = x[0, h, ..., c].
        (int[] shape, float[] y) = RunTranspose([1, 2, 1, 1, 1, 3], [1, 2, 3, 4, 5, 6], [0, 5, 1, 2, 3, 4]);
        Assert.Equal([1, 3, 2, 1, 1, 1], shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], y);
    }

    [Fact]
    public void Int8_transpose_moves_values_and_keeps_quantization()
    {
        QuantizationInfo q = QuantizationInfo.PerTensor(0.5f, -3);
        var b = new ModelBuilder();
        TensorRef t = b.Transpose(b.Input("x", DataType.Int8, [2, 3], q), [1, 0]);
        b.Output(t);
        Assert.Same(q, b.Desc(t).Quantization);
        Tolerance.Equal([-128, 4, 2, 127, 3, -6], Run.Int8(b, [-128, 2, 3, 4, 127, -6]), "s8 transpose");
    }
}
