using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Tests.Ops;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Every fp32 depthwise row against the reference: channel counts around each vector width (tails), 3x3 and other windows
/// (the 3x3 rows must refuse them), strides 1 and 2, dilation, asymmetric padding, batches, fused activations, and rows long
/// enough for interior runs between the borders.
/// </summary>
[Trait("Category", "Kernels")]
public class DwConvF32Tests
{
    public static TheoryData<string> Rows() => KernelComparison.Rows(OpCode.Conv, DataType.Float32, "-dw-");

    [Theory]
    [MemberData(nameof(Rows))]
    public void Depthwise_matches_reference_for_every_channel_tail_stride_and_padding(string kernel)
    {
        bool only3x3 = kernel.Contains("-3x3-", StringComparison.Ordinal);
        foreach (int c in (int[])[1, 3, 4, 5, 8, 12, 16, 17, 23, 32, 33])
        {
            Check(kernel, [1, 6, 7, c], 3, 3, new ConvOptions { Group = c, Pads = [1, 1, 1, 1] }, c % 2 == 0);
            Check(kernel, [2, 7, 6, c], 3, 3, new ConvOptions { Group = c, Strides = [2, 2], Pads = [1, 0, 1, 1] }, true);

            // Rows long enough for interior runs of several pixels between the borders (the rows kernels' direct path), with
            // stride 2 and dilation 2 moving the first and last interior column.
            Check(kernel, [1, 11, 12, c], 3, 3, new ConvOptions { Group = c, Strides = [2, 2], Pads = [1, 1, 1, 1] }, true);
            Check(kernel, [1, 9, 13, c], 3, 3, new ConvOptions { Group = c, Dilations = [2, 2], Pads = [0, 2, 1, 0] }, c % 2 == 1);
            if (c >= 32)
            {
                // Interior runs longer than one L1-sized segment (24 and 16 pixels at these widths): segment seams.
                Check(kernel, [1, 4, 40, c], 3, 3, new ConvOptions { Group = c, Pads = [1, 1, 1, 1] }, true);
                Check(kernel, [1, 5, 70, c], 3, 3, new ConvOptions { Group = c, Strides = [2, 2], Pads = [1, 1, 1, 1] }, true);
            }
            if (!only3x3)
            {
                Check(kernel, [1, 9, 8, c], 5, 5, new ConvOptions { Group = c, Strides = [2, 2], Pads = [2, 2, 2, 2] }, true);
                Check(kernel, [1, 8, 8, c], 3, 1, new ConvOptions { Group = c, Dilations = [2, 1], Pads = [2, 0, 2, 0] }, false);
            }
        }

        Check(kernel, [1, 5, 5, 9], 3, 3, new ConvOptions { Group = 9, Dilations = [2, 2], Pads = [2, 2, 2, 2] }, true);
        Check(kernel, [1, 3, 3, 8], 3, 3, new ConvOptions { Group = 8 }, true); // a single output pixel, no padding
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Depthwise_fused_activations_match_reference(string kernel)
    {
        foreach (FusedActivation a in Enum.GetValues<FusedActivation>())
        {
            Check(kernel, [1, 5, 6, 19], 3, 3, new ConvOptions
            {
                Group = 19, Pads = [1, 1, 1, 1], Activation = a, ActivationMin = -0.3f, ActivationMax = 0.4f, Alpha = a == FusedActivation.LeakyRelu ? 0.1f : null,
            }, true, scale: 3f);
        }
    }

    [Fact]
    public void A_3x3_row_refuses_other_windows_and_a_general_row_takes_them()
    {
        byte[] model = Build([1, 6, 6, 8], 5, 5, new ConvOptions { Group = 8 }, true, 1f).Build();
        foreach (string row in KernelComparison.RowNames(OpCode.Conv, DataType.Float32, "-dw-"))
        {
            using var s = InferenceSession.Load(model, SessionOptions.Only(row));
            string chosen = s.Kernels[0]!.Name;
            bool only3x3 = row.Contains("-3x3-", StringComparison.Ordinal);
            Assert.True(only3x3 ? chosen.EndsWith("-ref", StringComparison.Ordinal) : string.Equals(chosen, row, StringComparison.Ordinal),
                $"5x5 depthwise with only {row} allowed ran {chosen}");
        }
    }

    private static void Check(string kernel, int[] xShape, int kh, int kw, ConvOptions options, bool bias, float scale = 1f)
    {
        ModelBuilder model = Build(xShape, kh, kw, options, bias, scale);
        KernelComparison.Float(model, kernel, $"x={KernelComparison.Describe(xShape)} k={kh}x{kw} strides={Fmt(options.Strides)} " +
            $"dilations={Fmt(options.Dilations)} pads={Fmt(options.Pads)} act={options.Activation} bias={bias}");
    }

    private static ModelBuilder Build(int[] xShape, int kh, int kw, ConvOptions options, bool bias, float scale)
    {
        int c = xShape[^1];
        var rng = new Random(c * 100 + kh);
        float[] w = ConvolutionRun.RandomFloats(rng, (long)c * kh * kw).Select(v => v * scale).ToArray();
        return ConvolutionRun.BuildFloat(OpCode.Conv, xShape, w, [c, kh, kw, 1], bias ? ConvolutionRun.RandomFloats(rng, c) : null, options);
    }

    private static string Fmt(int[]? a) => a is null ? "default" : KernelComparison.Describe(a);
}
