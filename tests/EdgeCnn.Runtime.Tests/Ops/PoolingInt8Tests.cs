using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>int8 pooling golden values, worked by hand, and invalid parameters rejected by the builder.</summary>
public class PoolingInt8Tests
{
    private static readonly sbyte[] s_grid = Enumerable.Range(1, 16).Select(v => (sbyte)v).ToArray();

    internal static sbyte[] RunS8(int[] shape, sbyte[] x, QuantizationInfo inQ, Func<ModelBuilder, TensorRef, TensorRef> op)
    {
        var b = new ModelBuilder();
        TensorRef y = op(b, b.Input("x", DataType.Int8, shape, inQ));
        b.Output(y);
        return Run.Int8(b, x);
    }

    [Fact]
    public void Int8_maxpool_same_quantization_is_the_raw_max()
    {
        // Same scale and zero point: y is the max q itself. Windows {1,2,5,6} ... with some negatives swapped in.
        sbyte[] x = [-128, -100, 3, 4, -5, -120, 7, 127, 9, 10, -13, -14, 13, 14, -15, -16];
        QuantizationInfo q = QuantizationInfo.PerTensor(0.5f, 3);
        sbyte[] y = RunS8([1, 4, 4, 1], x, q, (b, t) => b.MaxPool(t, [2, 2], [2, 2], outputQuantization: q));
        // {-128,-100,-5,-120} -> -5; {3,4,7,127} -> 127; {9,10,13,14} -> 14; {-13,-14,-15,-16} -> -13
        Tolerance.Equal([-5, 127, 14, -13], y, "s8 max identity");
    }

    [Fact]
    public void Int8_maxpool_requantizes_to_a_different_output()
    {
        // s_x 0.625 z_x 2, s_y 0.5 z_y -10: M = 1.25, y = -10 + round(1.25 (q - 2)).
        // 1D k1 (identity windows) so every q shows: q - 2 = 3 -> 3.75 -> 4 -> -6; -3 -> -3.75 -> -4 -> -14; 1 -> 1.25 -> 1 -> -9;
        // -1 -> -1.25 -> -1 -> -11; 120 -> 150 -> 140 -> 127 (clamped); -130 -> -162.5 -> -172.5 -> -128 (clamped).
        sbyte[] x = [5, -1, 3, 1, 122, -128];
        sbyte[] y = RunS8([1, 6, 1], x, QuantizationInfo.PerTensor(0.625f, 2),
            (b, t) => b.MaxPool(t, [1], outputQuantization: QuantizationInfo.PerTensor(0.5f, -10)));
        Tolerance.Equal([-6, -14, -9, -11, 127, -128], y, "s8 max requant");
    }

    [Fact]
    public void Int8_average_pool_padding_ceil_and_count_include_pad()
    {
        // s_x 0.5 z_x -4, s_y 0.25 z_y 5: y = 5 + round(2 * sum(q + 4) / n). Geometry as the fp32 test: k3 s2 p1 ceil on 4x4.
        // sum(q) per window 14 30 12 / 57 99 36 / 27 45 16; in-input taps 4 6 2 / 6 9 3 / 2 3 1, so
        // sum(q + 4) = 30 54 20 / 81 135 48 / 35 57 20.
        QuantizationInfo qi = QuantizationInfo.PerTensor(0.5f, -4), qo = QuantizationInfo.PerTensor(0.25f, 5);
        // count_include_pad 1, n = 9 9 6 / 9 9 6 / 6 6 4: 2*sum/n = 6.67 12 6.67 / 18 30 16 / 11.67 19 10 -> 7 12 7 / 18 30 16 / 12 19 10.
        sbyte[] incl = RunS8([1, 4, 4, 1], s_grid, qi,
            (b, t) => b.AveragePool(t, [3, 3], [2, 2], [1, 1, 1, 1], countIncludePad: true, ceilMode: true, outputQuantization: qo));
        Tolerance.Equal([12, 17, 12, 23, 35, 21, 17, 24, 15], incl, "s8 avg incl");
        // count_include_pad 0, n = 4 6 2 / 6 9 3 / 2 3 1: 2*sum/n = 15 18 20 / 27 30 32 / 35 38 40.
        sbyte[] excl = RunS8([1, 4, 4, 1], s_grid, qi,
            (b, t) => b.AveragePool(t, [3, 3], [2, 2], [1, 1, 1, 1], ceilMode: true, outputQuantization: qo));
        Tolerance.Equal([20, 23, 25, 32, 35, 37, 40, 43, 45], excl, "s8 avg excl");
    }

    [Fact]
    public void Int8_average_pool_rounds_and_clamps()
    {
        // 1D k2 s2, s_x = s_y = 1, z_x 0, z_y 100: windows {1, 2} -> 1.5 -> 2 -> 102; {-3, -4} -> -3.5 -> round -> -3 or -4;
        // {100, 120} -> 110 -> 210 -> 127 (clamped). The tie -3.5 follows TFLite's fixed point: SaturatingRoundingDoublingHighMul
        // rounds (-7 * 2^30) / 2^31 = -3.5 up to -3 (gemmlowp's nudge for negatives is 1 - 2^30).
        QuantizationInfo qi = QuantizationInfo.PerTensor(1f, 0), qo = QuantizationInfo.PerTensor(1f, 100);
        sbyte[] y = RunS8([1, 6, 1], [1, 2, -3, -4, 100, 120], qi, (b, t) => b.AveragePool(t, [2], [2], outputQuantization: qo));
        Tolerance.Equal([102, 97, 127], y, "s8 avg round clamp");
    }

    [Fact]
    public void Int8_lppool_via_fp32()
    {
        // s_x 0.5 z_x 0: q 6, -8 are 3, -4 -> sqrt(9 + 16) = 5 -> s_y 0.25 z_y 1: 21. q 2, 2 (1, 1) -> 1.41421 -> 5.657 -> 6 -> 7.
        sbyte[] y = RunS8([1, 4, 1], [6, -8, 2, 2], QuantizationInfo.PerTensor(0.5f, 0),
            (b, t) => b.LpPool(t, [2], strides: [2], outputQuantization: QuantizationInfo.PerTensor(0.25f, 1)));
        Tolerance.Equal([21, 7], y, "s8 lp2");
        // p1 in 3D: 8 taps of q 1 at scale 1 -> 8 -> s_y 2: 4.
        sbyte[] y1 = RunS8([1, 2, 2, 2, 1], [1, -1, 1, -1, 1, -1, 1, -1], QuantizationInfo.PerTensor(1f, 0),
            (b, t) => b.LpPool(t, [2, 2, 2], p: 1, outputQuantization: QuantizationInfo.PerTensor(2f, 0)));
        Tolerance.Equal([4], y1, "s8 lp1 3d");
    }

    [Fact]
    public void Int8_global_pools()
    {
        // [1, 2, 3, 2]: channel 0 q = 1 2 3 4 5 5 (sum 20), channel 1 q = 10 10 10 0 0 10 (sum 40); s = 1, z_x 0.
        // avg to s_y 1 z_y 0: 20/6 = 3.33 -> 3; 40/6 = 6.67 -> 7. max to s_y 0.5 z_y -1: 5 -> 9; 10 -> 19.
        sbyte[] x = [1, 10, 2, 10, 3, 10, 4, 0, 5, 0, 5, 10];
        QuantizationInfo qi = QuantizationInfo.PerTensor(1f, 0);
        Tolerance.Equal([3, 7], RunS8([1, 2, 3, 2], x, qi, (b, t) => b.GlobalAveragePool(t, QuantizationInfo.PerTensor(1f, 0))), "s8 gap");
        Tolerance.Equal([9, 19], RunS8([1, 2, 3, 2], x, qi, (b, t) => b.GlobalMaxPool(t, QuantizationInfo.PerTensor(0.5f, -1))), "s8 gmp");
    }

    public static TheoryData<string, Func<ModelBuilder, TensorRef, TensorRef>> InvalidPools => new()
    {
        { "kernel 0", (b, t) => b.MaxPool(t, [0, 2]) },
        { "stride 0", (b, t) => b.AveragePool(t, [2, 2], strides: [0, 1]) },
        { "dilation 0", (b, t) => b.MaxPool(t, [2, 2], dilations: [1, 0]) },
        { "kernel rank", (b, t) => b.MaxPool(t, [2]) },
        { "pads count", (b, t) => b.MaxPool(t, [2, 2], pads: [1, 1]) },
        { "negative pad", (b, t) => b.MaxPool(t, [2, 2], pads: [-1, 0, 0, 0]) },
        { "pad as wide as the window", (b, t) => b.AveragePool(t, [2, 2], pads: [0, 2, 0, 0]) },
        { "kernel too big", (b, t) => b.MaxPool(t, [5, 1]) },
        { "p 0", (b, t) => b.LpPool(t, [2, 2], p: 0) },
        { "no kernel", (b, t) => b.Node(OpCode.MaxPool, t) },
        { "count_include_pad 2", (b, t) => b.Node(OpCode.AveragePool, t, NodeAttribute.IntList(AttributeKey.KernelShape, [2, 2]),
            NodeAttribute.Int(AttributeKey.CountIncludePad, 2)) },
        { "ceil mode 3", (b, t) => b.Node(OpCode.MaxPool, t, NodeAttribute.IntList(AttributeKey.KernelShape, [2, 2]),
            NodeAttribute.Int(AttributeKey.CeilMode, 3)) },
        { "pad mode 7", (b, t) => b.Node(OpCode.MaxPool, t, NodeAttribute.IntList(AttributeKey.KernelShape, [2, 2]),
            NodeAttribute.Int(AttributeKey.PadMode, 7)) },
        { "kernel as float", (b, t) => b.Node(OpCode.MaxPool, t, NodeAttribute.FloatList(AttributeKey.KernelShape, [2, 2])) },
    };

    [Theory]
    [MemberData(nameof(InvalidPools))]
    public void Invalid_pool_parameters_are_rejected(string what, Func<ModelBuilder, TensorRef, TensorRef> op)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 4, 4, 3]);
        var e = Assert.Throws<OpValidationException>(() => op(b, x));
        Assert.False(string.IsNullOrEmpty(e.Message), what);
    }

    [Fact]
    public void Pool_input_rank_and_type_are_checked()
    {
        var b = new ModelBuilder();
        TensorRef rank2 = b.Input("a", DataType.Float32, [4, 3]);
        Assert.Throws<OpValidationException>(() => b.GlobalAveragePool(rank2));
        Assert.Throws<OpValidationException>(() => b.MaxPool(rank2, [2]));
        TensorRef i32 = b.Input("b", DataType.Int32, [1, 4, 3]);
        Assert.Throws<OpValidationException>(() => b.MaxPool(i32, [2]));
        TensorRef s8 = b.Input("c", DataType.Int8, [1, 4, 3], QuantizationInfo.PerTensor(1f, 0));
        Assert.Throws<OpValidationException>(() => b.MaxPool(s8, [2])); // int8 output without quantization
    }
}
