using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>fp32 golden values worked by hand for every op of the convolution family and every fused activation.</summary>
public class ConvolutionTests
{
    private static readonly float[] s_x9 = [1, 2, 3, 4, 5, 6, 7, 8, 9]; // [1, 3, 3, 1], row-major

    [Fact]
    public void Conv2d_with_padding_and_stride()
    {
        // w = [[1, 2], [3, 4]], pads 1 all round, stride 2 -> out (3 + 2 - 2) / 2 + 1 = 2 per axis; windows start at -1 and 1.
        // (0,0): only tap (1,1) on x(0,0): 1*4 = 4.  (0,1): taps (1,0),(1,1) on x(0,1),x(0,2): 2*3 + 3*4 = 18.
        // (1,0): taps (0,1),(1,1) on x(1,0),x(2,0): 4*2 + 7*4 = 36.  (1,1): 5*1 + 6*2 + 8*3 + 9*4 = 77.  Plus bias 0.5.
        float[] y = ConvolutionRun.Float(OpCode.Conv, s_x9, [1, 3, 3, 1], [1, 2, 3, 4], [1, 2, 2, 1], [0.5f],
            new ConvOptions { Pads = [1, 1, 1, 1], Strides = [2, 2] });
        Tolerance.AllClose([4.5f, 18.5f, 36.5f, 77.5f], y, "conv2d pad1 stride2");
    }

    [Fact]
    public void Conv1d_with_dilation()
    {
        // w = [1, -1] with dilation 2: y[i] = x[i] - x[i + 2]; out 5 - 3 + 1 = 3.
        float[] y = ConvolutionRun.Float(OpCode.Conv, [1, 2, 4, 8, 16], [1, 5, 1], [1, -1], [1, 2, 1], null,
            new ConvOptions { Dilations = [2] });
        Tolerance.AllClose([1 - 4, 2 - 8, 4 - 16], y, "conv1d dilation 2");
    }

    [Fact]
    public void Depthwise_conv()
    {
        // x [1, 2, 2, 2]: channel 0 = 1, 2, 3, 4 and channel 1 = 10, 20, 30, 40 (interleaved, channels last).
        // group 2, w [2, 2, 2, 1]: o0 = ones -> 1+2+3+4 = 10; o1 = [1, 0, 0, -1] -> 10 - 40 = -30.
        float[] y = ConvolutionRun.Float(OpCode.Conv, [1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2], [1, 1, 1, 1, 1, 0, 0, -1], [2, 2, 2, 1],
            null, new ConvOptions { Group = 2 });
        Tolerance.AllClose([10, -30], y, "depthwise");
    }

    [Fact]
    public void Grouped_conv_reads_only_its_groups_channels()
    {
        // x [1,1,1,4] = 1, 2, 3, 4; group 2, w [4, 1, 1, 2]: o0, o1 read c0, c1; o2, o3 read c2, c3.
        // o0 [1, 1] -> 3; o1 [1, -1] -> -1; o2 [2, 0] -> 6; o3 [0, 1] -> 4.
        float[] y = ConvolutionRun.Float(OpCode.Conv, [1, 2, 3, 4], [1, 1, 1, 4], [1, 1, 1, -1, 2, 0, 0, 1], [4, 1, 1, 2], null,
            new ConvOptions { Group = 2 });
        Tolerance.AllClose([3, -1, 6, 4], y, "grouped");
    }

    [Fact]
    public void Conv3d_with_end_padding()
    {
        // x [1,2,2,2,1] = 1..8 at (d, h, w) -> 4d + 2h + w + 1; ones 2x2x2 kernel; pads end 1 on each axis -> out 2x2x2.
        // Each output sums x over the part of [d, d+1] x [h, h+1] x [w, w+1] inside the input:
        // (0,0,0) all = 36; (0,0,1) w=1: 2+4+6+8 = 20; (0,1,0) h=1: 3+4+7+8 = 22; (0,1,1): 4+8 = 12;
        // (1,0,0) d=1: 5+6+7+8 = 26; (1,0,1): 6+8 = 14; (1,1,0): 7+8 = 15; (1,1,1): 8.
        float[] y = ConvolutionRun.Float(OpCode.Conv, [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2, 1], [1, 1, 1, 1, 1, 1, 1, 1], [1, 2, 2, 2, 1],
            null, new ConvOptions { Pads = [0, 0, 0, 1, 1, 1] });
        Tolerance.AllClose([36, 20, 22, 12, 26, 14, 15, 8], y, "conv3d");
    }

    [Fact]
    public void Same_upper_and_same_lower_put_the_odd_pad_at_opposite_ends()
    {
        // x = 1, 2, 3, 4; w = [1, 10]; SAME: out 4, total pad 1.
        // upper (pad at end): y[i] = x[i] + 10 x[i+1] -> 21, 32, 43, 4.  lower (pad at begin): y[i] = x[i-1] + 10 x[i] -> 10, 21, 32, 43.
        float[] upper = ConvolutionRun.Float(OpCode.Conv, [1, 2, 3, 4], [1, 4, 1], [1, 10], [1, 2, 1], null, new ConvOptions { PadMode = PadMode.SameUpper });
        float[] lower = ConvolutionRun.Float(OpCode.Conv, [1, 2, 3, 4], [1, 4, 1], [1, 10], [1, 2, 1], null, new ConvOptions { PadMode = PadMode.SameLower });
        Tolerance.AllClose([21, 32, 43, 4], upper, "same_upper");
        Tolerance.AllClose([10, 21, 32, 43], lower, "same_lower");
    }

    [Fact]
    public void Valid_padding_drops_the_partial_window()
    {
        // x = 1..5, w = [1, 1], stride 2, VALID: windows at 0 and 2 -> 3, 7 (the one at 4 would need padding).
        float[] y = ConvolutionRun.Float(OpCode.Conv, [1, 2, 3, 4, 5], [1, 5, 1], [1, 1], [1, 2, 1], null,
            new ConvOptions { PadMode = PadMode.Valid, Strides = [2] });
        Tolerance.AllClose([3, 7], y, "valid");
    }

    [Fact]
    public void ConvTranspose1d_stride2_with_output_padding()
    {
        // size = 2 * (2 - 1) + 1 + 2 - 0 = 5; y[2i + k] += x[i] w[k]: y0 = 1, y1 = 10, y2 = 2, y3 = 20, y4 = 0; bias 0.5.
        float[] y = ConvolutionRun.Float(OpCode.ConvTranspose, [1, 2], [1, 2, 1], [1, 10], [1, 2, 1], [0.5f],
            new ConvOptions { Strides = [2], OutputPadding = [1] });
        Tolerance.AllClose([1.5f, 10.5f, 2.5f, 20.5f, 0.5f], y, "convtranspose1d");
    }

    [Fact]
    public void ConvTranspose2d_stride2_pads_and_output_padding()
    {
        // x [[1, 2], [3, 4]], ones 3x3, stride 2, pads 1, output padding 1: size 2*1 + 1 + 3 - 2 = 4.
        // Pixel (i, j) covers output rows 2i-1..2i+1 and cols 2j-1..2j+1:
        //   row 0: 1, 1+2, 2, 2      row 1: 1+3, 1+2+3+4, 2+4, 2+4      rows 2, 3: 3, 3+4, 4, 4
        float[] y = ConvolutionRun.Float(OpCode.ConvTranspose, [1, 2, 3, 4], [1, 2, 2, 1], Enumerable.Repeat(1f, 9).ToArray(), [1, 3, 3, 1],
            null, new ConvOptions { Strides = [2, 2], Pads = [1, 1, 1, 1], OutputPadding = [1, 1] });
        Tolerance.AllClose([1, 3, 2, 2, 4, 10, 6, 6, 3, 7, 4, 4, 3, 7, 4, 4], y, "convtranspose2d");
    }

    [Fact]
    public void ConvTranspose_grouped_with_dilation()
    {
        // x [1, 2, 2] (W=2, C=2): pixel0 = (1, 10), pixel1 = (2, 20). group 2, O 2, w [2, 2, 1]: o0 = [1, 1] on c0, o1 = [1, -1] on c1.
        // dilation 2, stride 1: size 1*(2-1) + 0 + (2-1)*2 + 1 = 4; y[i + 2k] += x[i] w[k].
        // o0: y0 = 1, y1 = 2, y2 = 1, y3 = 2.  o1: y0 = 10, y1 = 20, y2 = -10, y3 = -20.
        float[] y = ConvolutionRun.Float(OpCode.ConvTranspose, [1, 10, 2, 20], [1, 2, 2], [1, 1, 1, -1], [2, 2, 1], null,
            new ConvOptions { Group = 2, Dilations = [2] });
        Tolerance.AllClose([1, 10, 2, 20, 1, -10, 2, -20], y, "convtranspose grouped dilated");
    }

    [Fact]
    public void LocallyConnected_uses_one_weight_set_per_position()
    {
        // x [1,3,2,1] rows (1,2), (3,4), (5,6); kernel 2x1 -> out 2x2; y(r,c) = a x(r,c) + b x(r+1,c) with per-position (a, b):
        // (0,0) [1,1]: 1+3 = 4; (0,1) [1,-1]: 2-4 = -2; (1,0) [2,0]: 6; (1,1) [0,3]: 18. Bias per position 0.1..0.4.
        float[] y = ConvolutionRun.Float(OpCode.LocallyConnected2D, [1, 2, 3, 4, 5, 6], [1, 3, 2, 1], [1, 1, 1, -1, 2, 0, 0, 3], [2, 2, 1, 2, 1, 1],
            [0.1f, 0.2f, 0.3f, 0.4f], null, [2, 2, 1]);
        Tolerance.AllClose([4.1f, -1.8f, 6.3f, 18.4f], y, "locally connected");
    }

    [Fact]
    public void TiledConv_ties_weights_across_tiles()
    {
        // x [1,1,4,1] = 1..4, 1x1 kernel, tile [1, 2]: columns 0, 2 use 10 and columns 1, 3 use 100; bias 1.
        float[] y = ConvolutionRun.Float(OpCode.TiledConv2D, [1, 2, 3, 4], [1, 1, 4, 1], [10, 100], [1, 2, 1, 1, 1, 1], [1],
            new ConvOptions { Tile = [1, 2] });
        Tolerance.AllClose([11, 201, 31, 401], y, "tiled");
    }

    [Fact]
    public void Dense_rank2_and_rank3()
    {
        // w = [[1, 0, -1], [0.5, 0.5, 0.5]], bias [0, 1]: row (1,2,3) -> -2, 4; row (4,5,6) -> -2, 8.5.
        float[] w = [1, 0, -1, 0.5f, 0.5f, 0.5f];
        Tolerance.AllClose([-2, 4, -2, 8.5f], ConvolutionRun.Float(OpCode.Dense, [1, 2, 3, 4, 5, 6], [2, 3], w, [2, 3], [0, 1]), "dense rank 2");
        Tolerance.AllClose([-2, 4, -2, 8.5f], ConvolutionRun.Float(OpCode.Dense, [1, 2, 3, 4, 5, 6], [1, 2, 3], w, [2, 3], [0, 1]), "dense rank 3");
        Assert.Equal([1, 2, 2], ConvolutionRun.Shape(OpCode.Dense, [1, 2, 3], [2, 3], null));
    }

    public static TheoryData<OpCode, FusedActivation, float[]> ActivationCases()
    {
        // Pre-activation values -8, -1, 0, 3, 7.
        // hard_swish: x * clamp(x / 6 + 1/2, 0, 1): -8 -> 0, -1 -> -1/3, 0 -> 0, 3 -> 3, 7 -> 7.
        var data = new TheoryData<OpCode, FusedActivation, float[]>();
        foreach (OpCode op in new[] { OpCode.Conv, OpCode.Dense, OpCode.ConvTranspose, OpCode.TiledConv2D })
        {
            data.Add(op, FusedActivation.None, [-8, -1, 0, 3, 7]);
            data.Add(op, FusedActivation.Relu, [0, 0, 0, 3, 7]);
            data.Add(op, FusedActivation.Relu6, [0, 0, 0, 3, 6]);
            data.Add(op, FusedActivation.Clip, [-2, -1, 0, 3, 4]);
            data.Add(op, FusedActivation.LeakyRelu, [-0.8f, -0.1f, 0, 3, 7]);
            data.Add(op, FusedActivation.HardSwish, [0, -1f / 3f, 0, 3, 7]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActivationCases))]
    public void Fused_activation_is_applied_after_bias(OpCode op, FusedActivation activation, float[] expected)
    {
        // y = 2x - 1 (1x1 weight 2, bias -1) on x = -3.5, 0, 0.5, 2, 4 gives -8, -1, 0, 3, 7 before the activation.
        float[] x = [-3.5f, 0, 0.5f, 2, 4];
        var options = new ConvOptions
        {
            Activation = activation,
            ActivationMin = -2,
            ActivationMax = 4,
            Alpha = activation == FusedActivation.LeakyRelu ? 0.1f : null,
            Tile = op == OpCode.TiledConv2D ? [1, 1] : null,
        };
        (int[] xShape, int[] wShape) = op switch
        {
            OpCode.Dense => (new[] { 5, 1 }, new[] { 1, 1 }),
            OpCode.TiledConv2D => ([1, 1, 5, 1], [1, 1, 1, 1, 1, 1]),
            _ => ([1, 5, 1], [1, 1, 1]),
        };
        float[] y = ConvolutionRun.Float(op, x, xShape, [2], wShape, [-1], options);
        Tolerance.AllClose(expected, y, $"{op} {activation}", atol: 1e-6f);
    }

    [Fact]
    public void LeakyRelu_default_alpha_is_one_hundredth()
    {
        float[] y = ConvolutionRun.Float(OpCode.Dense, [-3, 5], [2, 1], [1], [1, 1], null, new ConvOptions { Activation = FusedActivation.LeakyRelu });
        Tolerance.AllClose([-0.03f, 5], y, "leaky default");
    }

    [Fact]
    public void Kernel_names_state_dtype_op_and_variant()
    {
        using InferenceSession s = ConvolutionRun.BuildFloat(OpCode.Conv, [1, 3, 3, 2], new float[2 * 9], [2, 3, 3, 1], null,
            new ConvOptions { Group = 2 }).BuildSession(SessionOptions.ReferenceOnly);
        Assert.Equal("f32-conv2d-dw-ref", s.Kernels[0]!.Name);
    }

    [Fact]
    public void Run_does_not_allocate()
    {
        using InferenceSession s = ConvolutionRun.BuildFloat(OpCode.Conv, [1, 5, 5, 3], new float[4 * 9 * 3], [4, 3, 3, 3], [1, 2, 3, 4],
            new ConvOptions { Pads = [1, 1, 1, 1], Activation = FusedActivation.Relu }).BuildSession();
        AllocationAssert.NoAllocations(s.Run, 50, "f32 conv Run");
        using InferenceSession d = ConvolutionRun.BuildInt8(OpCode.Dense, [2, 3], QuantizationInfo.PerTensor(0.1f, 3), new sbyte[6], [2, 3],
            QuantizationInfo.PerAxis([0.5f, 0.25f], 0), [1, 2], null, QuantizationInfo.PerTensor(0.2f, -1)).BuildSession();
        AllocationAssert.NoAllocations(d.Run, 50, "s8 dense Run");
    }
}
