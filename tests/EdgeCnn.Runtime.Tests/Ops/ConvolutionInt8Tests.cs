using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>int8 golden values worked by hand (TFLite arithmetic, per-channel weights, output clamps).</summary>
public class ConvolutionInt8Tests
{
    [Fact]
    public void Conv2d_per_channel_worked_by_hand()
    {
        // x [1,3,3,1] s_x 0.5 z_x 1; q = [[3,1,5],[1,-1,3],[7,1,1]] so x - z_x = [[2,0,4],[0,-2,2],[6,0,0]].
        // w [2,2,2,1] per-axis scales [0.5, 1.0]: w0 = [[1,2],[3,-1]], w1 = [[-1,0],[0,1]]; bias [4, -2]; y s 0.5 z -3.
        // M0 = 0.5*0.5/0.5 = 0.5 = 2^30 * 2^-31 (shift 0): y = z + round(acc / 2); M1 = 1: y = z + acc.
        // windows (x - z_x):  (0,0) [[2,0],[0,-2]]  (0,1) [[0,4],[-2,2]]  (1,0) [[0,-2],[6,0]]  (1,1) [[-2,2],[0,0]]
        // ch0: 2+2 = 4, 8-6-2 = 0, -4+18 = 14, -2+4 = 2; + 4 -> 8, 4, 18, 6; / 2 -> 4, 2, 9, 3; - 3 -> 1, -1, 6, 0
        // ch1: -2-2 = -4, 2, 0, 2; - 2 -> -6, 0, -2, 0; - 3 -> -9, -3, -5, -3
        sbyte[] y = ConvolutionRun.Int8(OpCode.Conv, [3, 1, 5, 1, -1, 3, 7, 1, 1], [1, 3, 3, 1], QuantizationInfo.PerTensor(0.5f, 1),
            [1, 2, 3, -1, -1, 0, 0, 1], [2, 2, 2, 1], QuantizationInfo.PerAxis([0.5f, 1.0f], 0), [4, -2], null,
            QuantizationInfo.PerTensor(0.5f, -3));
        Tolerance.Equal([1, -9, -1, -3, 6, -5, 0, -3], y, "s8 conv by hand");
    }

    [Fact]
    public void Padding_contributes_nothing_whatever_the_input_zero_point()
    {
        // 1D, w = [1, 1], pads 1/1, z_x = 20: the padded taps are x = z_x, i.e. 0 after the shift.
        // x - z_x = [4, -6]: outputs (pad, 4) = 4, (4, -6) = -2, (-6, pad) = -6; M = 0.1*1/0.1 = 1; z_y 0.
        sbyte[] y = ConvolutionRun.Int8(OpCode.Conv, [24, 14], [1, 2, 1], QuantizationInfo.PerTensor(0.1f, 20),
            [1, 1], [1, 2, 1], QuantizationInfo.PerTensor(1f, 0), null, new ConvOptions { Pads = [1, 1] }, QuantizationInfo.PerTensor(0.1f, 0));
        Tolerance.Equal([4, -2, -6], y, "s8 padding");
    }

    public static TheoryData<FusedActivation, sbyte[]> ClampCases() => new()
    {
        // Dense k = 1, w = 1 (s 0.5), x s 0.5 z 0, y s 0.25 z -10: M = 1, so y = -10 + x_q before the clamp: -18, -6, 10, 30.
        // relu: lo = quantize(0) = -10.  relu6: hi = quantize(6) = 24 - 10 = 14.  clip(-1, 2): lo = -4 - 10 = -14, hi = 8 - 10 = -2.
        { FusedActivation.None, [-18, -6, 10, 30] },
        { FusedActivation.Relu, [-10, -6, 10, 30] },
        { FusedActivation.Relu6, [-10, -6, 10, 14] },
        { FusedActivation.Clip, [-14, -6, -2, -2] },
    };

    [Theory]
    [MemberData(nameof(ClampCases))]
    public void Int8_fused_activations_are_output_clamps(FusedActivation activation, sbyte[] expected)
    {
        var options = new ConvOptions { Activation = activation, ActivationMin = -1, ActivationMax = 2 };
        sbyte[] y = ConvolutionRun.Int8(OpCode.Dense, [-8, 4, 20, 40], [4, 1], QuantizationInfo.PerTensor(0.5f, 0), [1], [1, 1],
            QuantizationInfo.PerTensor(0.5f, 0), null, options, QuantizationInfo.PerTensor(0.25f, -10));
        Tolerance.Equal(expected, y, $"s8 dense {activation}");
    }

    [Fact]
    public void Int8_output_saturates()
    {
        // acc = 100 * 127 = 12700, M = 1 -> far above 127; -12700 -> -128.
        sbyte[] y = ConvolutionRun.Int8(OpCode.Dense, [100, -100], [2, 1], QuantizationInfo.PerTensor(1f, 0), [127], [1, 1],
            QuantizationInfo.PerTensor(1f, 0), null, null, QuantizationInfo.PerTensor(1f, 0));
        Tolerance.Equal([127, -128], y, "s8 saturation");
    }

    [Fact]
    public void Int8_conv_transpose_locally_connected_and_tiled_by_hand()
    {
        // All with x s 1 z 0, w s 1, y s 1 z 0 (M = 1), so outputs are the integer sums.
        var q1 = QuantizationInfo.PerTensor(1f, 0);
        // ConvTranspose 1D stride 2, output padding 1: x [1, 2], w [1, 10] -> [1, 10, 2, 20, 0] + bias 3.
        Tolerance.Equal([4, 13, 5, 23, 3], ConvolutionRun.Int8(OpCode.ConvTranspose, [1, 2], [1, 2, 1], q1, [1, 10], [1, 2, 1], q1, [3],
            new ConvOptions { Strides = [2], OutputPadding = [1] }, q1), "s8 convtranspose");
        // Locally connected, x [1,3,2,1] rows (1,2),(3,4),(5,6), 2x1 kernel per position [1,1],[1,-1],[2,0],[0,3] -> 4, -2, 6, 18;
        // bias per position [1, 2, 3, 4].
        Tolerance.Equal([5, 0, 9, 22], ConvolutionRun.Int8(OpCode.LocallyConnected2D, [1, 2, 3, 4, 5, 6], [1, 3, 2, 1], q1,
            [1, 1, 1, -1, 2, 0, 0, 3], [2, 2, 1, 2, 1, 1], q1, [1, 2, 3, 4], null, q1, [2, 2, 1]), "s8 locally connected");
        // Tiled [1, 2], 1x1: x 1..4, weights 10 and -10 alternate -> 10, -20, 30, -40; bias 1.
        Tolerance.Equal([11, -19, 31, -39], ConvolutionRun.Int8(OpCode.TiledConv2D, [1, 2, 3, 4], [1, 1, 4, 1], q1, [10, -10],
            [1, 2, 1, 1, 1, 1], q1, [1], new ConvOptions { Tile = [1, 2] }, q1), "s8 tiled");
    }

    [Fact]
    public void Kernel_names_state_int8()
    {
        var q1 = QuantizationInfo.PerTensor(1f, 0);
        using InferenceSession s = ConvolutionRun.BuildInt8(OpCode.Conv, [1, 2, 2, 2], q1, new sbyte[2 * 2], [2, 1, 1, 2], q1, null,
            null, q1).BuildSession();
        // The CPU's best int8 Conv GEMM row of the kernel table that accepts the node (not depthwise; 2 output channels, which
        // the 6x16c2 tile leaves to a narrower one); with reference kernels only, the specific reference name.
        var plan = new EdgeCnn.Runtime.Kernels.ConvS8Plan(default, new ConvGeometry { InH = 2, InW = 2, InC = 2, OutH = 2, OutW = 2, OutC = 2 },
            new Int8Requant(0, 0, new int[2], new int[2], -128, 127), "s8-conv-ref", null);
        string best = EdgeCnn.Runtime.Kernels.KernelTable.For(OpCode.Conv, DataType.Int8)
            .First(k => k.IsSupported && (k.IsReference || (k.Name.Contains("-gemm-", StringComparison.Ordinal) &&
                ((EdgeCnn.Runtime.Kernels.KernelEntry<EdgeCnn.Runtime.Kernels.ConvS8Plan>)k).Accepts(plan)))).Name;
        Assert.StartsWith("s8-", best, StringComparison.Ordinal);
        Assert.Equal(best.EndsWith("-ref", StringComparison.Ordinal) ? "s8-conv2d-ref" : best, s.Kernels[0]!.Name);
        using InferenceSession reference = ConvolutionRun.BuildInt8(OpCode.Conv, [1, 2, 2, 2], q1, new sbyte[2 * 2], [2, 1, 1, 2], q1, null,
            null, q1).BuildSession(SessionOptions.ReferenceOnly);
        Assert.Equal("s8-conv2d-ref", reference.Kernels[0]!.Name);
    }
}
