using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.Ops;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Every fp32 Conv / Dense row of the kernel table against the reference convolution: channel counts on both sides of each
/// register tile (NR 8 / 16, MR 6 / 7) and the column-chunk boundary, pixel counts hitting every partial row tile, strides,
/// dilations, padding (the indirection's zero row), groups, 1D / 3D, batches, and every fused activation.
/// </summary>
[Trait("Category", "Kernels")]
public class ConvGemmF32Tests
{
    public static TheoryData<string> ConvRows() => KernelComparison.Rows(OpCode.Conv, DataType.Float32, "-gemm-");

    public static TheoryData<string> DenseRows() => KernelComparison.Rows(OpCode.Dense, DataType.Float32, "-gemm-");

    public static TheoryData<string> GemvRows()
    {
        var data = new TheoryData<string>();
        foreach (string name in KernelComparison.RowNames(OpCode.Dense, DataType.Float32, "-gemv-")
            .Concat(KernelComparison.RowNames(OpCode.Conv, DataType.Float32, "-gemv-")))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConvRows))]
    public void Pointwise_convolution_matches_reference_across_tile_tails(string kernel)
    {
        // Pixels 1..14 cover every remainder of MR = 6 and 7; channels 1..33 every remainder of NR = 8 and 16.
        foreach (int w in (int[])[1, 2, 3, 5, 6, 7, 13, 14])
        {
            foreach ((int c, int o) in ((int, int)[])[(1, 1), (3, 8), (4, 15), (8, 16), (17, 17), (16, 33), (33, 24), (7, 31)])
            {
                Check(kernel, [1, 1, w, c], [o, 1, 1, c], new ConvOptions(), bias: (w + c) % 2 == 0);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ConvRows))]
    public void Spatial_convolution_matches_reference_with_strides_dilations_and_padding(string kernel)
    {
        Check(kernel, [1, 5, 6, 3], [16, 3, 3, 3], new ConvOptions { Pads = [1, 1, 1, 1] }, bias: true);
        Check(kernel, [1, 7, 7, 8], [17, 3, 3, 8], new ConvOptions { Strides = [2, 2], Pads = [1, 1, 1, 1] }, bias: true);
        Check(kernel, [2, 6, 5, 5], [9, 3, 2, 5], new ConvOptions { Dilations = [2, 1], Pads = [2, 0, 1, 1] }, bias: false);
        Check(kernel, [1, 9, 9, 4], [8, 5, 5, 4], new ConvOptions { Strides = [2, 1], Pads = [2, 2, 2, 2] }, bias: true);
        Check(kernel, [1, 4, 4, 16], [16, 1, 1, 16], new ConvOptions { Strides = [2, 2] }, bias: true);
        Check(kernel, [1, 3, 3, 2], [5, 3, 3, 2], new ConvOptions { Pads = [3, 3, 3, 3] }, bias: true); // taps all in padding
        Check(kernel, [1, 6, 6, 1], [4, 7, 7, 1], new ConvOptions { PadMode = PadMode.SameUpper }, bias: true);
    }

    [Theory]
    [MemberData(nameof(ConvRows))]
    public void Column_chunks_beyond_the_L2_budget_match_reference(string kernel)
    {
        // 3x3 x 64 input channels: a 16-column block is 37 KB, so 100 outputs span more than one 192 KB column chunk.
        Check(kernel, [1, 4, 5, 64], [100, 3, 3, 64], new ConvOptions { Pads = [1, 1, 1, 1] }, bias: true);
    }

    [Theory]
    [MemberData(nameof(ConvRows))]
    public void Grouped_1d_and_3d_convolutions_match_reference(string kernel)
    {
        Check(kernel, [1, 5, 5, 6], [9, 3, 3, 2], new ConvOptions { Group = 3, Pads = [1, 1, 1, 1] }, bias: true);
        Check(kernel, [1, 4, 6, 8], [8, 1, 1, 4], new ConvOptions { Group = 2 }, bias: false);
        Check(kernel, [1, 5, 5, 4], [8, 3, 3, 1], new ConvOptions { Group = 4, Strides = [2, 2], Pads = [1, 1, 1, 1] }, bias: true);
        Check(kernel, [2, 11, 3], [7, 3, 3], new ConvOptions { Pads = [1, 1], Strides = [2] }, bias: true);
        Check(kernel, [1, 3, 4, 4, 2], [5, 2, 3, 3, 2], new ConvOptions { Pads = [0, 1, 1, 1, 1, 1] }, bias: true);
    }

    [Theory]
    [MemberData(nameof(ConvRows))]
    public void Every_fused_activation_matches_reference(string kernel)
    {
        foreach (FusedActivation a in Enum.GetValues<FusedActivation>())
        {
            var options = new ConvOptions
            {
                Pads = [1, 1, 1, 1], Activation = a, ActivationMin = -0.25f, ActivationMax = 0.5f, Alpha = a == FusedActivation.LeakyRelu ? 0.2f : null,
            };
            Check(kernel, [1, 4, 5, 3], [19, 3, 3, 3], options, bias: true, scale: 4f);
        }
    }

    [Theory]
    [MemberData(nameof(DenseRows))]
    public void Dense_matches_reference(string kernel)
    {
        foreach ((int rows, int k, int o) in ((int, int, int)[])[(1, 1, 1), (1, 10, 10), (3, 64, 17), (7, 33, 40), (13, 5, 16), (2, 200, 9)])
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [rows, k]);
            var rng = new Random(rows * 1000 + k);
            TensorRef w = b.Constant("w", ConvolutionRun.RandomFloats(rng, (long)o * k), [o, k]);
            TensorRef bias = b.Constant("b", ConvolutionRun.RandomFloats(rng, o), [o]);
            b.Output(b.Dense(x, w, bias, new ConvOptions { Activation = FusedActivation.Relu }));
            KernelComparison.Float(b, kernel, $"dense rows={rows} k={k} o={o}");
        }
    }

    /// <summary>M = 1 (batch-1 heads): every column tail of the 8- and 16-wide panels, every K tail of the 4-way unroll,
    /// a K long enough that the split accumulators matter, Relu / Relu6 clamps, Dense and a 1x1 (or 3x3 on one pixel) Conv.</summary>
    [Theory]
    [MemberData(nameof(GemvRows))]
    public void Gemv_matches_reference_for_every_column_and_reduction_tail(string kernel)
    {
        bool conv = Runtime.Kernels.KernelTable.Find(kernel).Op == OpCode.Conv;
        foreach (int o in (int[])[1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 40])
        {
            foreach (int k in (int[])[1, 2, 3, 4, 5, 7, 8, 13, 64, 259])
            {
                var rng = new Random((o * 1000) + k);
                FusedActivation act = (o + k) % 3 == 0 ? FusedActivation.Relu6 : FusedActivation.Relu;
                if (conv)
                {
                    Check(kernel, [1, 1, 1, k], [o, 1, 1, k], new ConvOptions { Activation = act }, bias: k % 2 == 0);
                    continue;
                }

                var b = new ModelBuilder();
                TensorRef x = b.Input("x", DataType.Float32, [1, k]);
                TensorRef w = b.Constant("w", ConvolutionRun.RandomFloats(rng, (long)o * k), [o, k]);
                TensorRef bias = b.Constant("b", ConvolutionRun.RandomFloats(rng, o), [o]);
                b.Output(b.Dense(x, w, k % 2 == 0 ? bias : null, new ConvOptions { Activation = act }));
                KernelComparison.Float(b, kernel, $"gemv dense k={k} o={o} act={act}");
            }
        }

        if (conv)
        {
            // A 3x3 kernel over a padded 1x1 input is one output pixel through the indirection buffer (8 zero taps).
            Check(kernel, [1, 1, 1, 19], [21, 3, 3, 19], new ConvOptions { Pads = [1, 1, 1, 1] }, bias: true);
            Check(kernel, [1, 3, 3, 6], [17, 3, 3, 6], new ConvOptions(), bias: true);
        }
    }

    private static void Check(string kernel, int[] xShape, int[] wShape, ConvOptions options, bool bias, float scale = 1f)
    {
        var rng = new Random(xShape.Sum() * 31 + wShape.Sum());
        float[] w = ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(wShape)).Select(v => v * scale).ToArray();
        float[]? b = bias ? ConvolutionRun.RandomFloats(rng, wShape[0]) : null;
        ModelBuilder model = ConvolutionRun.BuildFloat(OpCode.Conv, xShape, w, wShape, b, options);
        string context = $"x={KernelComparison.Describe(xShape)} w={KernelComparison.Describe(wShape)} strides={Fmt(options.Strides)} " +
            $"dilations={Fmt(options.Dilations)} pads={Fmt(options.Pads)} padMode={options.PadMode} group={options.Group} act={options.Activation} bias={bias}";
        KernelComparison.Float(model, kernel, context);
    }

    private static string Fmt(int[]? a) => a is null ? "default" : KernelComparison.Describe(a);
}
