using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.Ops;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Every Winograd F(2,3) row against the reference: odd output sizes (partial 2x2 tiles), padding on any side, channel counts
/// around each vector width, several tile blocks, batches and fused activations; and the shapes it must refuse.
/// </summary>
[Trait("Category", "Kernels")]
public class WinogradF23Tests
{
    public static TheoryData<string> Rows() => KernelComparison.Rows(OpCode.Conv, DataType.Float32, "-winograd-");

    [Theory]
    [MemberData(nameof(Rows))]
    public void Winograd_matches_reference_for_tiles_pads_and_channel_tails(string kernel)
    {
        foreach ((int c, int o) in ((int, int)[])[(64, 64), (65, 67), (71, 80), (72, 75), (96, 79)])
        {
            Check(kernel, [1, 7, 9, c], o, [1, 1, 1, 1], FusedActivation.None);
            Check(kernel, [1, 6, 6, c], o, [0, 0, 0, 0], FusedActivation.Relu);
            Check(kernel, [2, 5, 8, c], o, [2, 0, 1, 1], FusedActivation.None);
        }

        Check(kernel, [1, 21, 19, 64], 64, [1, 1, 1, 1], FusedActivation.Relu6); // 110 tiles: several L2 blocks
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Winograd_fused_activations_match_reference(string kernel)
    {
        foreach (FusedActivation a in Enum.GetValues<FusedActivation>())
        {
            Check(kernel, [1, 5, 7, 66], 70, [1, 1, 1, 1], a);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Winograd_refuses_strides_dilations_groups_other_windows_and_threads(string kernel)
    {
        (int[] x, int[] w, ConvOptions o, int threads)[] refused =
        [
            ([1, 8, 8, 64], [64, 3, 3, 64], new ConvOptions { Strides = [2, 2], Pads = [1, 1, 1, 1] }, 1),
            ([1, 8, 8, 64], [64, 3, 3, 64], new ConvOptions { Dilations = [2, 2], Pads = [2, 2, 2, 2] }, 1),
            ([1, 8, 8, 128], [64, 3, 3, 64], new ConvOptions { Group = 2, Pads = [1, 1, 1, 1] }, 1),
            ([1, 8, 8, 64], [64, 5, 5, 64], new ConvOptions { Pads = [2, 2, 2, 2] }, 1),
            ([1, 8, 8, 32], [64, 3, 3, 32], new ConvOptions { Pads = [1, 1, 1, 1] }, 1),
            ([1, 8, 8, 64], [32, 3, 3, 64], new ConvOptions { Pads = [1, 1, 1, 1] }, 1),
            ([1, 8, 8, 64], [64, 3, 3, 64], new ConvOptions { Pads = [1, 1, 1, 1] }, 2),
        ];
        foreach ((int[] x, int[] w, ConvOptions o, int threads) in refused)
        {
            byte[] model = ConvolutionRun.BuildFloat(OpCode.Conv, x, new float[ConvolutionNaive.Count(w)], w, null, o).Build();
            var names = new HashSet<string>([kernel], StringComparer.Ordinal);
            using var s = InferenceSession.Load(model, new SessionOptions { KernelFilter = k => names.Contains(k.Name), Threads = threads });
            Assert.True(s.Kernels[0]!.Name.EndsWith("-ref", StringComparison.Ordinal),
                $"{kernel} took x={KernelComparison.Describe(x)} w={KernelComparison.Describe(w)} threads={threads}: {s.Kernels[0]!.Name}");
        }
    }

    private static void Check(string kernel, int[] xShape, int o, int[] pads, FusedActivation activation)
    {
        int c = xShape[^1];
        var rng = new Random(c * 7 + o);
        int[] wShape = [o, 3, 3, c];
        ModelBuilder model = ConvolutionRun.BuildFloat(OpCode.Conv, xShape, ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(wShape)), wShape,
            ConvolutionRun.RandomFloats(rng, o), new ConvOptions
            {
                Pads = pads, Activation = activation, ActivationMin = -0.5f, ActivationMax = 0.75f, Alpha = activation == FusedActivation.LeakyRelu ? 0.3f : null,
            });
        KernelComparison.Float(model, kernel, $"x={KernelComparison.Describe(xShape)} o={o} pads={KernelComparison.Describe(pads)} act={activation}");
    }
}
