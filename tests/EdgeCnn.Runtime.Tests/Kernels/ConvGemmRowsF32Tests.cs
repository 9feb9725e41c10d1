using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.Ops;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// The row-tap GEMM rows (few input channels, taps that are whole kernel rows of the padded input) against the reference:
/// 1 and 2 channels, 3x3 / 5x5 / 7x7 / 3x7 windows, strides, vertical dilation, asymmetric and SAME padding (the padded
/// buffer's borders), batches, output channels around NR and pixels around MR, fused activations; and the shapes they must
/// refuse (as many channels as half the window, horizontal dilation, groups).
/// </summary>
[Trait("Category", "Kernels")]
public class ConvGemmRowsF32Tests
{
    public static TheoryData<string> Rows() => KernelComparison.Rows(OpCode.Conv, DataType.Float32, "-gemmrows-");

    [Theory]
    [MemberData(nameof(Rows))]
    public void Row_taps_match_reference_for_windows_strides_and_padding(string kernel)
    {
        foreach (int o in (int[])[1, 7, 8, 16, 17, 33])
        {
            Check(kernel, [1, 7, 9, 1], [o, 3, 3, 1], new ConvOptions { Pads = [1, 1, 1, 1] }, bias: o % 2 == 1);
            Check(kernel, [2, 11, 10, 1], [o, 5, 5, 1], new ConvOptions { Strides = [2, 2], Pads = [2, 1, 1, 2] }, bias: true);
            Check(kernel, [1, 13, 12, 3], [o, 7, 7, 3], new ConvOptions { Strides = [2, 2], Pads = [3, 3, 3, 3] }, bias: true);
        }

        Check(kernel, [1, 28, 28, 1], [8, 5, 5, 1], new ConvOptions { PadMode = PadMode.SameUpper }, bias: true); // mnist-8's first conv
        Check(kernel, [1, 9, 8, 2], [5, 3, 5, 2], new ConvOptions { Dilations = [2, 1], Pads = [2, 2, 1, 0] }, bias: false);
        Check(kernel, [1, 6, 7, 1], [9, 3, 7, 1], new ConvOptions { Strides = [1, 3] }, bias: true); // no padding at all
        Check(kernel, [1, 2, 3, 1], [4, 5, 5, 1], new ConvOptions { Pads = [2, 2, 2, 2] }, bias: true); // windows mostly padding
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Row_taps_fuse_every_activation(string kernel)
    {
        foreach (FusedActivation a in Enum.GetValues<FusedActivation>())
        {
            Check(kernel, [1, 8, 7, 2], [19, 5, 5, 2], new ConvOptions
            {
                Pads = [2, 2, 2, 2], Activation = a, ActivationMin = -0.3f, ActivationMax = 0.4f, Alpha = a == FusedActivation.LeakyRelu ? 0.1f : null,
            }, bias: true, scale: 3f);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Row_taps_refuse_wide_inputs_horizontal_dilation_and_groups(string kernel)
    {
        foreach ((int[] x, int[] w, ConvOptions options) in ((int[], int[], ConvOptions)[])
        [
            ([1, 6, 6, 3], [8, 3, 3, 3], new ConvOptions()),
            ([1, 9, 9, 1], [8, 3, 3, 1], new ConvOptions { Dilations = [1, 2] }),
            ([1, 9, 9, 2], [4, 5, 5, 1], new ConvOptions { Group = 2 }),
        ])
        {
            byte[] model = ConvolutionRun.BuildFloat(OpCode.Conv, x, new float[ConvolutionNaive.Count(w)], w, null, options).Build();
            using var s = InferenceSession.Load(model, SessionOptions.Only(kernel));
            Assert.False(string.Equals(kernel, s.Kernels[0]!.Name, StringComparison.Ordinal), $"{kernel} accepted x={KernelComparison.Describe(x)} w={KernelComparison.Describe(w)}");
        }
    }

    private static void Check(string kernel, int[] xShape, int[] wShape, ConvOptions options, bool bias, float scale = 1f)
    {
        var rng = new Random(xShape.Sum() * 31 + wShape.Sum());
        float[] w = ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(wShape)).Select(v => v * scale).ToArray();
        float[]? b = bias ? ConvolutionRun.RandomFloats(rng, wShape[0]) : null;
        ModelBuilder model = ConvolutionRun.BuildFloat(OpCode.Conv, xShape, w, wShape, b, options);
        KernelComparison.Float(model, kernel, $"x={KernelComparison.Describe(xShape)} w={KernelComparison.Describe(wShape)} strides={Fmt(options.Strides)} " +
            $"dilations={Fmt(options.Dilations)} pads={Fmt(options.Pads)} padMode={options.PadMode} act={options.Activation} bias={bias}");
    }

    private static string Fmt(int[]? a) => a is null ? "default" : KernelComparison.Describe(a);
}
