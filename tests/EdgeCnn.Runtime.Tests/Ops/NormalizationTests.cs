using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>BatchNorm, Softmax, LogSoftmax and Maxout: fp32 and int8 golden values and invalid parameters.</summary>
public class NormalizationTests
{
    private static float[] RunF32(int[] shape, float[] x, Func<ModelBuilder, TensorRef, TensorRef> op)
    {
        var b = new ModelBuilder();
        TensorRef y = op(b, b.Input("x", DataType.Float32, shape));
        b.Output(y);
        return Run.Float(b, x);
    }

    private static sbyte[] RunS8(int[] shape, sbyte[] x, QuantizationInfo q, Func<ModelBuilder, TensorRef, TensorRef> op) =>
        PoolingInt8Tests.RunS8(shape, x, q, op);

    /// <summary>
    /// Softmax by coordinates, in double: for every element, walk its row by changing only the axis coordinate. A different
    /// decomposition from the kernel's [outer, length, inner] view.
    /// </summary>
    internal static float[] NaiveSoftmax(float[] x, int[] shape, int axis, bool log)
    {
        int rank = shape.Length;
        axis = axis < 0 ? axis + rank : axis;
        var stride = new int[rank];
        int s = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            stride[d] = s;
            s *= shape[d];
        }

        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int coord = i / stride[axis] % shape[axis];
            int rowStart = i - (coord * stride[axis]);
            double max = double.NegativeInfinity;
            for (int k = 0; k < shape[axis]; k++)
            {
                max = Math.Max(max, x[rowStart + (k * stride[axis])]);
            }

            double sum = 0;
            for (int k = 0; k < shape[axis]; k++)
            {
                sum += Math.Exp(x[rowStart + (k * stride[axis])] - max);
            }

            y[i] = (float)(log ? x[i] - max - Math.Log(sum) : Math.Exp(x[i] - max) / sum);
        }

        return y;
    }

    [Fact]
    public void BatchNorm_matches_hand_values()
    {
        // eps 0: var 4 and 0.25 -> sqrt 2 and 0.5; scale 3, 0.5 -> a = 1.5, 1; mean 1, 2; bias 1, -1.
        // x [[1, 2], [3, -2]]: 1.5*0+1 = 1; 1*0-1 = -1; 1.5*2+1 = 4; 1*(-4)-1 = -5.
        float[] y = RunF32([2, 2], [1, 2, 3, -2], (b, t) => b.BatchNorm(t, [3, 0.5f], [1, -1], [1, 2], [4, 0.25f], epsilon: 0f));
        Tolerance.AllClose([1, -1, 4, -5], y, "batchnorm");
    }

    [Fact]
    public void BatchNorm_default_epsilon_over_channels_last_4d()
    {
        // [1, 2, 2, 3] NHWC; direct formula scale * (x - mean) / sqrt(var + 1e-5) + bias in double per element.
        float[] scale = [1, 2, -0.5f], bias = [0, 1, 2], mean = [0.5f, -1, 3], variance = [1, 0.01f, 9];
        float[] x = Enumerable.Range(0, 12).Select(i => (i * 0.7f) - 4f).ToArray();
        var expected = new float[12];
        for (int i = 0; i < 12; i++)
        {
            int c = i % 3;
            expected[i] = (float)((scale[c] * (x[i] - (double)mean[c]) / Math.Sqrt(variance[c] + 1e-5)) + bias[c]);
        }

        Tolerance.AllClose(expected, RunF32([1, 2, 2, 3], x, (b, t) => b.BatchNorm(t, scale, bias, mean, variance)), "batchnorm 4d");
    }

    [Fact]
    public void Int8_batchnorm_via_fp32()
    {
        // Same parameters as the hand test: s_x 0.5 z_x 0, q 2 4 6 -4 are 1 2 3 -2 -> 1 -1 4 -5 -> s_y 0.25 z_y -10: -6 -14 6 -30.
        sbyte[] y = RunS8([2, 2], [2, 4, 6, -4], QuantizationInfo.PerTensor(0.5f, 0),
            (b, t) => b.BatchNorm(t, [3, 0.5f], [1, -1], [1, 2], [4, 0.25f], 0f, QuantizationInfo.PerTensor(0.25f, -10)));
        Tolerance.Equal([-6, -14, 6, -30], y, "s8 batchnorm");
    }

    [Fact]
    public void Softmax_and_log_softmax_hand_values_and_stability()
    {
        // e^-2 = 0.13533528, e^-1 = 0.36787944, sum with 1 = 1.50321472, log(sum) = 0.40760596.
        float[] soft = [0.09003057f, 0.24472847f, 0.66524096f];
        Tolerance.AllClose(soft, RunF32([1, 3], [1, 2, 3], (b, t) => b.Softmax(t)), "softmax");
        Tolerance.AllClose(soft, RunF32([1, 3], [1000, 1001, 1002], (b, t) => b.Softmax(t)), "softmax large");
        Tolerance.AllClose(soft, RunF32([1, 3], [-1000, -999, -998], (b, t) => b.Softmax(t)), "softmax very negative");
        float[] logSoft = [-2.40760596f, -1.40760596f, -0.40760596f];
        Tolerance.AllClose(logSoft, RunF32([1, 3], [1, 2, 3], (b, t) => b.LogSoftmax(t)), "logsoftmax");
        Tolerance.AllClose(logSoft, RunF32([1, 3], [1e4f, 1e4f + 1, 1e4f + 2], (b, t) => b.LogSoftmax(t)), "logsoftmax large");
    }

    [Fact]
    public void Softmax_over_axis_0_by_hand()
    {
        // [[1, 2, 3], [1, 0, 3]] along axis 0: columns {1,1} -> .5 .5; {2,0} -> 1/(1+e^-2) = 0.88079708, 0.11920292; {3,3} -> .5 .5.
        float[] y = RunF32([2, 3], [1, 2, 3, 1, 0, 3], (b, t) => b.Softmax(t, axis: 0));
        Tolerance.AllClose([0.5f, 0.88079708f, 0.5f, 0.5f, 0.11920292f, 0.5f], y, "softmax axis 0");
    }

    [Theory]
    [InlineData(new[] { 5 }, 0)]
    [InlineData(new[] { 2, 3, 4 }, 1)]
    [InlineData(new[] { 2, 3, 4 }, -3)]
    [InlineData(new[] { 2, 1, 3, 2 }, 2)]
    [InlineData(new[] { 2, 3, 2, 2, 3 }, -2)]
    public void Softmax_and_log_softmax_on_several_axes_and_ranks(int[] shape, int axis)
    {
        int count = shape.Aggregate(1, (a, d) => a * d);
        float[] x = Enumerable.Range(0, count).Select(i => (float)Math.Sin(i * 1.3) * 5).ToArray();
        Tolerance.AllClose(NaiveSoftmax(x, shape, axis, false), RunF32(shape, x, (b, t) => b.Softmax(t, axis)), $"softmax {axis}");
        Tolerance.AllClose(NaiveSoftmax(x, shape, axis, true), RunF32(shape, x, (b, t) => b.LogSoftmax(t, axis)), $"logsoftmax {axis}");
    }

    [Fact]
    public void Int8_softmax_and_log_softmax_via_fp32()
    {
        // s_x 1 z_x 0, q 1 2 3: softmax 0.09003057 0.24472847 0.66524096 * 256 = 23.05 62.65 170.30 -> 23 63 170, z_y -128:
        // -105 -65 42.
        QuantizationInfo qi = QuantizationInfo.PerTensor(1f, 0);
        sbyte[] y = RunS8([1, 3], [1, 2, 3], qi, (b, t) => b.Softmax(t, -1, QuantizationInfo.PerTensor(1f / 256, -128)));
        Tolerance.Equal([-105, -65, 42], y, "s8 softmax");
        // log-softmax -2.4076 -1.4076 -0.4076 at s_y 0.1 z_y 0: -24 -14 -4.
        sbyte[] l = RunS8([1, 3], [1, 2, 3], qi, (b, t) => b.LogSoftmax(t, -1, QuantizationInfo.PerTensor(0.1f, 0)));
        Tolerance.Equal([-24, -14, -4], l, "s8 logsoftmax");
        // Axis 0 of [2, 2] with z_x 5, s_x 0.5: columns {7, 5} (1, 0) and {5, 5} (0, 0):
        // 1/(1+e^-1) = 0.73105858 -> 187.15 -> 187 -> 59; 0.26894142 -> 68.85 -> 69 -> -59; 0.5 -> 128 -> 0.
        sbyte[] a0 = RunS8([2, 2], [7, 5, 5, 5], QuantizationInfo.PerTensor(0.5f, 5),
            (b, t) => b.Softmax(t, 0, QuantizationInfo.PerTensor(1f / 256, -128)));
        Tolerance.Equal([59, 0, -59, 0], a0, "s8 softmax axis 0");
    }

    [Fact]
    public void Maxout_by_hand()
    {
        float[] x = [1, 5, 3, 2, -1, -7];
        Tolerance.AllClose([5, 3, -1], RunF32([1, 6], x, (b, t) => b.Maxout(t, 2)), "maxout 2");
        Tolerance.AllClose([5, 2], RunF32([1, 6], x, (b, t) => b.Maxout(t, 3)), "maxout 3");
        Tolerance.AllClose(x, RunF32([1, 6], x, (b, t) => b.Maxout(t, 1)), "maxout 1");
        // [2, 1, 4] k 2: rows {1,5,3,2} -> 5 3; {-1,-7,0,-2} -> -1 0.
        Tolerance.AllClose([5, 3, -1, 0], RunF32([2, 1, 4], [1, 5, 3, 2, -1, -7, 0, -2], (b, t) => b.Maxout(t, 2)), "maxout rank 3");
    }

    [Fact]
    public void Int8_maxout_identity_and_requantized()
    {
        QuantizationInfo q = QuantizationInfo.PerTensor(0.625f, 2);
        sbyte[] x = [5, -1, 3, 1, 122, -128];
        // Same quantization: raw max of each pair: 5, 3, 122.
        Tolerance.Equal([5, 3, 122], RunS8([1, 6], x, q, (b, t) => b.Maxout(t, 2, q)), "s8 maxout identity");
        // To s_y 0.5 z_y -10 (M = 1.25): (5-2)=3 -> 3.75 -> 4 -> -6; (3-2)=1 -> 1.25 -> 1 -> -9; 120 -> 150 -> 127.
        Tolerance.Equal([-6, -9, 127], RunS8([1, 6], x, q, (b, t) => b.Maxout(t, 2, QuantizationInfo.PerTensor(0.5f, -10))),
            "s8 maxout requant");
    }

    [Fact]
    public void Invalid_normalization_parameters_are_rejected()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [2, 6]);
        Assert.Throws<OpValidationException>(() => b.Softmax(x, 2));
        Assert.Throws<OpValidationException>(() => b.LogSoftmax(x, -3));
        Assert.Throws<OpValidationException>(() => b.Maxout(x, 0));
        Assert.Throws<OpValidationException>(() => b.Maxout(x, 4));
        Assert.Throws<OpValidationException>(() => b.Node(OpCode.Maxout, x)); // GroupSize missing
        Assert.Throws<OpValidationException>(() => b.BatchNorm(x, [1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1])); // 3 vs 6 channels
        float[] ones = Enumerable.Repeat(1f, 6).ToArray();
        Assert.Throws<OpValidationException>(() => b.BatchNorm(x, ones, ones, ones, [1, 1, 1, 1, 1])); // var too short
        Assert.Throws<OpValidationException>(() => b.BatchNorm(x, ones, ones, ones, ones, epsilon: -1f));
        // A parameter that is not a constant is rejected.
        TensorRef live = b.Input("scale", DataType.Float32, [6]);
        TensorRef c = b.Constant("c", ones, [6]);
        Assert.Throws<OpValidationException>(() => b.Node(OpCode.BatchNorm, [x, live, c, c, c]));
        TensorRef rank1 = b.Input("r1", DataType.Float32, [6]);
        Assert.Throws<OpValidationException>(() => b.Node(OpCode.BatchNorm, [rank1, c, c, c, c]));
    }
}
