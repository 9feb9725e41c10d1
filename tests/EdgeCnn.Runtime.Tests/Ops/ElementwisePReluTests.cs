using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>PRelu: fp32 and int8 (fp32, int8 per-tensor and int8 per-axis slopes), broadcasting, in place, errors.</summary>
public class ElementwisePReluTests
{
    private static readonly float[] s_x = [-1, 2, -3, 4, -5, 6, -7, -8, 9, 10, 11, -12]; // [1,2,2,3]
    private static readonly QuantizationInfo s_qx = QuantizationInfo.PerTensor(0.5f, 0);
    private static readonly QuantizationInfo s_qy = QuantizationInfo.PerTensor(0.25f, 10);

    [Fact]
    public void Per_channel_constant_slope()
    {
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [1, 2, 2, 3]);
        m.Output(m.PRelu(x, m.Constant("slope", [0.1f, 0.2f, 0.3f], [3])));
        // negatives times the slope of their channel (c = i % 3)
        float[] expected = [-0.1f, 2, -0.9f, 4, -1f, 6, -0.7f, -1.6f, 9, 10, 11, -3.6f];
        Tolerance.AllClose(expected, Run.Float(m, s_x), "prelu [1,2,2,3] slope [3]");
    }

    [Fact]
    public void Slope_may_be_a_runtime_input_broadcast_over_rows()
    {
        // slope [2,1,1] against x [1,2,2,3]: H row 0 uses 0.5, H row 1 uses -1.
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [1, 2, 2, 3]);
        m.Output(m.PRelu(x, m.Input("slope", DataType.Float32, [2, 1, 1])));
        float[] expected = [-0.5f, 2, -1.5f, 4, -2.5f, 6, 7, 8, 9, 10, 11, 12];
        Tolerance.AllClose(expected, Run.Float(m, s_x, [0.5f, -1f]), "prelu slope [2,1,1]");
    }

    [Fact]
    public void Runs_in_place_after_a_sub()
    {
        // x - 1 -> prelu(slope 0.5) -> output: the prelu writes over the sub's output.
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [4]);
        TensorRef d = m.Sub(x, m.Constant("one", [1f], [1]));
        TensorRef y = m.PRelu(d, m.Constant("slope", [0.5f], [1]));
        m.Output(y);
        using InferenceSession s = m.BuildSession();
        Assert.Equal(s.Placements[d.Index].Buffer, s.Placements[y.Index].Buffer);
        new float[] { -3, 0, 1, 5 }.CopyTo(s.Input<float>(0));
        s.Run();
        Tolerance.AllClose([-2, -0.5f, 0, 4], s.Output<float>(0), "sub -> prelu");
    }

    [Fact]
    public void Int8_with_fp32_slope_is_via_fp32()
    {
        // x scale 0.5: [-4,-4,6,3] is [-2,-2,3,1.5]; slope [0.25,-1] per column: [-0.5, 2, 3, 1.5]; / 0.25 + 10.
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Int8, [2, 2], s_qx);
        m.Output(m.PRelu(x, m.Constant("slope", [0.25f, -1f], [2]), s_qy));
        Tolerance.Equal([8, 18, 22, 16], Run.Int8(m, [-4, -4, 6, 3]), "s8 prelu fp32 slope");
    }

    [Fact]
    public void Int8_with_per_tensor_and_per_axis_int8_slopes()
    {
        // Both slopes are [0.25, 0.5, -1]. x [1,2,3] scale 0.5: [-4,-4,-4,5,6,-1] is [-2,-2,-2,2.5,3,-0.5]
        // -> [-0.5, -1, 2, 2.5, 3, 0.5] -> / 0.25 + 10 = [8, 6, 18, 20, 22, 12].
        sbyte[] input = [-4, -4, -4, 5, 6, -1];
        sbyte[] expected = [8, 6, 18, 20, 22, 12];

        var perTensor = new ModelBuilder();
        TensorRef x = perTensor.Input("x", DataType.Int8, [1, 2, 3], s_qx);
        TensorRef slope = perTensor.Constant("slope", new sbyte[] { 2, 4, -8 }, [3], QuantizationInfo.PerTensor(0.125f, 0));
        perTensor.Output(perTensor.PRelu(x, slope, s_qy));
        Tolerance.Equal(expected, Run.Int8(perTensor, input), "s8 prelu per-tensor slope");

        // scales [0.125, 0.25, 0.5], zero points [0, 1, -1]: q [2, 3, -3] -> [0.25, 0.5, -1]
        var perAxis = new ModelBuilder();
        TensorRef x2 = perAxis.Input("x", DataType.Int8, [1, 2, 3], s_qx);
        TensorRef slope2 = perAxis.Constant("slope", new sbyte[] { 2, 3, -3 }, [3], new QuantizationInfo([0.125f, 0.25f, 0.5f], [0, 1, -1], 0));
        perAxis.Output(perAxis.PRelu(x2, slope2, s_qy));
        using InferenceSession s = perAxis.BuildSession();
        input.CopyTo(s.Input<sbyte>(0));
        s.Run();
        Tolerance.Equal(expected, s.Output<sbyte>(0), "s8 prelu per-axis slope");
        AllocationAssert.NoAllocations(s.Run, 100, "s8 prelu");
    }

    [Fact]
    public void Int8_slope_quantized_along_a_leading_axis()
    {
        // slope [2,1], axis 0, scales [0.5, 0.25]: q [1, -4] -> [0.5, -1]. x [1,2,3] scale 0.5: [-4,-4,-4,-2,0,2]
        // is [-2,-2,-2,-1,0,1] -> row 0 * 0.5 = [-1,-1,-1], row 1 [1, 0, 1] -> / 0.25 + 10 = [6,6,6,14,10,14].
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Int8, [1, 2, 3], s_qx);
        TensorRef slope = m.Constant("slope", new sbyte[] { 1, -4 }, [2, 1], QuantizationInfo.PerAxis([0.5f, 0.25f], 0));
        m.Output(m.PRelu(x, slope, s_qy));
        Tolerance.Equal([6, 6, 6, 14, 10, 14], Run.Int8(m, [-4, -4, -4, -2, 0, 2]), "s8 prelu axis-0 slope");
    }

    [Fact]
    public void Invalid_slopes_are_rejected()
    {
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Float32, [1, 2, 2, 3]);
        Assert.Throws<OpValidationException>(() => m.PRelu(x, m.Constant("s4", [1f, 2f, 3f, 4f], [4])));          // 4 vs 3 channels
        TensorRef small = m.Input("small", DataType.Float32, [3]);
        Assert.Throws<OpValidationException>(() => m.PRelu(small, m.Constant("s23", new float[6], [2, 3])));     // slope bigger than x
        TensorRef q8 = m.Constant("q8", new sbyte[] { 1, 2, 3 }, [3], QuantizationInfo.PerTensor(0.1f, 0));
        Assert.Throws<OpValidationException>(() => m.PRelu(x, q8));                                              // fp32 x, int8 slope
        TensorRef xq = m.Input("xq", DataType.Int8, [1, 3], s_qx);
        TensorRef runtimeSlope = m.Input("rs", DataType.Int8, [3], QuantizationInfo.PerTensor(0.1f, 0));
        Assert.Throws<OpValidationException>(() => m.PRelu(xq, runtimeSlope, s_qy));                           // int8 slope not constant
        Assert.Throws<OpValidationException>(() => m.PRelu(xq, m.Constant("si", new[] { 1, 2, 3 }, [3]), s_qy)); // int32 slope
    }
}
