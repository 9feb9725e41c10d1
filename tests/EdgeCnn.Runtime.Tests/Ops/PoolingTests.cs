using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>fp32 pooling golden values, every one worked by hand in the comments.</summary>
public class PoolingTests
{
    // 4x4, one channel:
    //  1  2  3  4
    //  5  6  7  8
    //  9 10 11 12
    // 13 14 15 16
    private static readonly float[] s_grid = Enumerable.Range(1, 16).Select(v => (float)v).ToArray();

    internal static float[] RunF32(int[] shape, float[] x, Func<ModelBuilder, TensorRef, TensorRef> op, out int[] outShape)
    {
        var b = new ModelBuilder();
        TensorRef y = op(b, b.Input("x", DataType.Float32, shape));
        outShape = b.Shape(y);
        b.Output(y);
        return Run.Float(b, x);
    }

    private static float[] RunF32(int[] shape, float[] x, Func<ModelBuilder, TensorRef, TensorRef> op) => RunF32(shape, x, op, out _);

    [Fact]
    public void MaxPool_2x2_stride_2_channels_last_with_batch()
    {
        // Channel 0 is the grid, channel 1 its negation; batch 1 is batch 0 + 100.
        var x = new float[2 * 16 * 2];
        for (int n = 0; n < 2; n++)
        {
            for (int i = 0; i < 16; i++)
            {
                x[(n * 32) + (2 * i)] = s_grid[i] + (100 * n);
                x[(n * 32) + (2 * i) + 1] = -s_grid[i] + (100 * n);
            }
        }

        float[] y = RunF32([2, 4, 4, 2], x, (b, t) => b.MaxPool(t, [2, 2], strides: [2, 2]), out int[] shape);
        Assert.Equal([2, 2, 2, 2], shape);
        // windows {1,2,5,6} {3,4,7,8} {9,10,13,14} {11,12,15,16}: max 6 8 14 16; negated: max -1 -3 -9 -11.
        Tolerance.AllClose([6, -1, 8, -3, 14, -9, 16, -11, 106, 99, 108, 97, 114, 91, 116, 89], y, "maxpool 2x2/2");
    }

    [Fact]
    public void MaxPool_ignores_padding()
    {
        // k3 s2 p1 on the negated grid: out 2x2; windows rows/cols {0,1} or {1,2,3}.
        // (0,0) {-1,-2,-5,-6} -> -1; (0,1) {-2,-3,-4,-6,-7,-8} -> -2; (1,0) {-5,-6,-9,-10,-13,-14} -> -5; (1,1) -> -6.
        // A zero from the padding would win every window if padding counted.
        float[] neg = s_grid.Select(v => -v).ToArray();
        float[] y = RunF32([1, 4, 4, 1], neg, (b, t) => b.MaxPool(t, [3, 3], strides: [2, 2], pads: [1, 1, 1, 1]));
        Tolerance.AllClose([-1, -2, -5, -6], y, "maxpool pads");
    }

    [Fact]
    public void MaxPool_with_dilation()
    {
        // x[i] = 7i mod 16:   0  7 14  5 / 12  3 10  1 / 8 15  6 13 / 4 11  2  9
        // k2 dilation 2 stride 1: taps {r, r+2} x {c, c+2}, out 2x2.
        // (0,0) {0,14,8,6} -> 14; (0,1) {7,5,15,13} -> 15; (1,0) {12,10,4,2} -> 12; (1,1) {3,1,11,9} -> 11.
        float[] x = Enumerable.Range(0, 16).Select(i => (float)(7 * i % 16)).ToArray();
        float[] y = RunF32([1, 4, 4, 1], x, (b, t) => b.MaxPool(t, [2, 2], dilations: [2, 2]), out int[] shape);
        Assert.Equal([1, 2, 2, 1], shape);
        Tolerance.AllClose([14, 15, 12, 11], y, "maxpool dilation");
    }

    [Fact]
    public void Pools_with_ceil_mode_false_and_true()
    {
        // 3x3 grid 1..9, k2 s2. floor: one window {1,2,4,5}: max 5, avg 3.
        // ceil: 2x2 windows {1,2,4,5} {3,6} {7,8} {9}: max 5 6 8 9, avg 3 4.5 7.5 9 (no pads, so count_include_pad
        // counts only the in-input taps too: the ceil extension is never counted).
        float[] x = Enumerable.Range(1, 9).Select(v => (float)v).ToArray();
        int[] shape = [1, 3, 3, 1];
        Tolerance.AllClose([5], RunF32(shape, x, (b, t) => b.MaxPool(t, [2, 2], strides: [2, 2])), "max floor");
        Tolerance.AllClose([3], RunF32(shape, x, (b, t) => b.AveragePool(t, [2, 2], strides: [2, 2])), "avg floor");
        Tolerance.AllClose([5, 6, 8, 9], RunF32(shape, x, (b, t) => b.MaxPool(t, [2, 2], strides: [2, 2], ceilMode: true)), "max ceil");
        Tolerance.AllClose([3, 4.5f, 7.5f, 9], RunF32(shape, x, (b, t) => b.AveragePool(t, [2, 2], strides: [2, 2], ceilMode: true)),
            "avg ceil");
        Tolerance.AllClose([3, 4.5f, 7.5f, 9], RunF32(shape, x,
            (b, t) => b.AveragePool(t, [2, 2], strides: [2, 2], countIncludePad: true, ceilMode: true)), "avg ceil incl");
    }

    [Fact]
    public void AveragePool_padding_count_include_pad_0_and_1()
    {
        // k3 s2 p1 on the grid, out 2x2. Sums: (0,0) {1,2,5,6}=14; (0,1) {2,3,4,6,7,8}=30; (1,0) {5,6,9,10,13,14}=57; (1,1)=99.
        // count_include_pad 0: divide by 4, 6, 6, 9. count_include_pad 1: every window lies inside the pads: divide by 9.
        int[] shape = [1, 4, 4, 1];
        Tolerance.AllClose([3.5f, 5, 9.5f, 11], RunF32(shape, s_grid, (b, t) => b.AveragePool(t, [3, 3], [2, 2], [1, 1, 1, 1])),
            "avg excl");
        Tolerance.AllClose([14f / 9, 30f / 9, 57f / 9, 11], RunF32(shape, s_grid,
            (b, t) => b.AveragePool(t, [3, 3], [2, 2], [1, 1, 1, 1], countIncludePad: true)), "avg incl");
    }

    [Fact]
    public void Pools_with_padding_and_ceil_mode_do_not_count_the_ceil_extension()
    {
        // k3 s2 p1 ceil on 4x4: span 4+2-3 = 3, ceil(3/2)+1 = 3 outputs per axis. Per axis the windows start at -1, 1, 3:
        // in-input rows {0,1} {1,2,3} {3}; taps inside the pads (positions -1..4): 3, 3, 2 (position 5 is the ceil extension).
        // Sums (row set x col set of 4r + c + 1): 14 30 12 / 57 99 36 / 27 45 16.
        int[] shape = [1, 4, 4, 1];
        float[] incl = RunF32(shape, s_grid, (b, t) => b.AveragePool(t, [3, 3], [2, 2], [1, 1, 1, 1], countIncludePad: true, ceilMode: true),
            out int[] outShape);
        Assert.Equal([1, 3, 3, 1], outShape);
        // divisors 9 9 6 / 9 9 6 / 6 6 4
        Tolerance.AllClose([14f / 9, 30f / 9, 2, 57f / 9, 11, 6, 4.5f, 7.5f, 4], incl, "avg incl ceil");
        // divisors (in-input taps) 4 6 2 / 6 9 3 / 2 3 1
        float[] excl = RunF32(shape, s_grid, (b, t) => b.AveragePool(t, [3, 3], [2, 2], [1, 1, 1, 1], ceilMode: true));
        Tolerance.AllClose([3.5f, 5, 6, 9.5f, 11, 12, 13.5f, 15, 16], excl, "avg excl ceil");
        // max = 4 * (last row) + (last col) + 1 with last rows/cols 1, 3, 3.
        float[] max = RunF32(shape, s_grid, (b, t) => b.MaxPool(t, [3, 3], [2, 2], [1, 1, 1, 1], ceilMode: true));
        Tolerance.AllClose([6, 8, 8, 14, 16, 16, 14, 16, 16], max, "max ceil pads");
    }

    [Fact]
    public void OneD_pools()
    {
        // [1, 5, 1] x = 1 3 2 5 4. Max k2 s1: 3 3 5 5.
        float[] x = [1, 3, 2, 5, 4];
        Tolerance.AllClose([3, 3, 5, 5], RunF32([1, 5, 1], x, (b, t) => b.MaxPool(t, [2])), "1d max");
        // Avg k3 s2 p1: windows {-1,0,1} {1,2,3} {3,4,5}: in-input {1,3} {3,2,5} {5,4}: 2, 10/3, 4.5; incl pads: 4/3, 10/3, 3.
        Tolerance.AllClose([2, 10f / 3, 4.5f], RunF32([1, 5, 1], x, (b, t) => b.AveragePool(t, [3], [2], [1, 1])), "1d avg");
        Tolerance.AllClose([4f / 3, 10f / 3, 3], RunF32([1, 5, 1], x, (b, t) => b.AveragePool(t, [3], [2], [1, 1], countIncludePad: true)),
            "1d avg incl");
    }

    [Fact]
    public void ThreeD_pools()
    {
        // [1, 2, 2, 3, 1] x[d][h][w] = 6d + 3h + w + 1; k 2x2x2 stride 1 -> out [1, 1, 1, 2].
        // window w in {0,1}: mean 1 + 3 + 1.5 + 0.5 = 6, max 6 + 3 + 1 + 1 = 11; window w in {1,2}: mean 7, max 12.
        float[] x = Enumerable.Range(1, 12).Select(v => (float)v).ToArray();
        Tolerance.AllClose([11, 12], RunF32([1, 2, 2, 3, 1], x, (b, t) => b.MaxPool(t, [2, 2, 2]), out int[] shape), "3d max");
        Assert.Equal([1, 1, 1, 2, 1], shape);
        Tolerance.AllClose([6, 7], RunF32([1, 2, 2, 3, 1], x, (b, t) => b.AveragePool(t, [2, 2, 2])), "3d avg");
        // Same-upper padding on depth: 3D k [2,1,1] pads resolved to (0 begin, 1 end) per axis of size 2 -> out D = 2;
        // the second depth window holds only d = 1: max = x itself at d = 1.
        float[] same = RunF32([1, 2, 2, 3, 1], x, (b, t) => b.MaxPool(t, [2, 1, 1], padMode: PadMode.SameUpper));
        Tolerance.AllClose([7, 8, 9, 10, 11, 12, 7, 8, 9, 10, 11, 12], same, "3d same_upper");
    }

    [Fact]
    public void LpPool_p1_p2_p3()
    {
        // [[3, -4], [-6, 8]]: k [1,2] p2 -> sqrt(9+16) = 5, sqrt(36+64) = 10; k [2,2] p1 -> 3+4+6+8 = 21.
        float[] x = [3, -4, -6, 8];
        Tolerance.AllClose([5, 10], RunF32([1, 2, 2, 1], x, (b, t) => b.LpPool(t, [1, 2])), "lp2");
        Tolerance.AllClose([21], RunF32([1, 2, 2, 1], x, (b, t) => b.LpPool(t, [2, 2], p: 1)), "lp1");
        // p3 on [1, -2]: (1 + 8)^(1/3) = 2.0800838
        Tolerance.AllClose([2.0800838f], RunF32([1, 2, 1], [1, -2], (b, t) => b.LpPool(t, [2], p: 3)), "lp3");
        // 1D p2 with pads 1/1, k2 s2 on [3, 4]: windows {pad, 3} {4, pad}: 3, 4 (padding contributes 0).
        Tolerance.AllClose([3, 4], RunF32([1, 2, 1], [3, 4], (b, t) => b.LpPool(t, [2], strides: [2], pads: [1, 1])), "lp2 pads");
    }

    [Fact]
    public void Global_pools_keep_spatial_axes_as_ones()
    {
        // [1, 2, 3, 2]: channel 0 = 1..6, channel 1 = 10..60. mean 3.5 / 35, max 6 / 60.
        var x = new float[12];
        for (int i = 0; i < 6; i++)
        {
            x[2 * i] = i + 1;
            x[(2 * i) + 1] = 10 * (i + 1);
        }

        Tolerance.AllClose([3.5f, 35], RunF32([1, 2, 3, 2], x, (b, t) => b.GlobalAveragePool(t), out int[] shape), "gap");
        Assert.Equal([1, 1, 1, 2], shape);
        Tolerance.AllClose([6, 60], RunF32([1, 2, 3, 2], x, (b, t) => b.GlobalMaxPool(t)), "gmp");
        // 1D with batch 2: [2, 3, 1] = {1, 2, 6}, {-1, -2, -6}: means 3, -3; max 6, -1.
        Tolerance.AllClose([3, -3], RunF32([2, 3, 1], [1, 2, 6, -1, -2, -6], (b, t) => b.GlobalAveragePool(t), out shape), "gap 1d");
        Assert.Equal([2, 1, 1], shape);
        Tolerance.AllClose([6, -1], RunF32([2, 3, 1], [1, 2, 6, -1, -2, -6], (b, t) => b.GlobalMaxPool(t)), "gmp 1d");
        // 3D: [1, 2, 1, 2, 1] = 1 2 3 4: mean 2.5, max 4.
        Tolerance.AllClose([2.5f], RunF32([1, 2, 1, 2, 1], [1, 2, 3, 4], (b, t) => b.GlobalAveragePool(t)), "gap 3d");
        Tolerance.AllClose([4], RunF32([1, 2, 1, 2, 1], [1, 2, 3, 4], (b, t) => b.GlobalMaxPool(t)), "gmp 3d");
    }

    [Fact]
    public void MaxPool_propagates_nan()
    {
        float[] y = RunF32([1, 4, 1], [1, float.NaN, 3, 2], (b, t) => b.MaxPool(t, [2], strides: [2]));
        Assert.True(float.IsNaN(y[0]), "NaN in the window must win");
        Assert.Equal(3f, y[1]);
    }
}
