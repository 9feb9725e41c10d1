using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Int8;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// The int8 GEMV rows (s8-{dense,conv}-gemv-1x16c4-minmax-avx2: one output row) against the reference kernels bit for bit:
/// reduction lengths that leave every 4-deep tail, output counts that leave partial 16-column panels and split into
/// several work items, groups, worker threads, zero points at the extremes, wrapping biases and every clamp; and the rows
/// refuse what is not one row of a pointwise layer.
/// </summary>
[Trait("Category", "Kernels")]
public class S8GemvTests
{
    private const string Dense = "s8-dense-gemv-1x16c4-minmax-avx2";
    private const string Conv = "s8-conv-gemv-1x16c4-minmax-avx2";

    [Fact]
    public void Dense_one_row_matches_the_reference()
    {
        if (!Executable())
        {
            return;
        }

        KernelEntry<ConvS8Plan> e = S8GemmTests.Entry(Dense);
        var rng = new Random(30);
        foreach (int k in new[] { 1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 512, 1001 })
        {
            foreach (int outputs in new[] { 1, 15, 16, 17, 129, 300 })
            {
                int[] zeroPoints = [-128, 127, 0, -5];
                int zx = zeroPoints[rng.Next(zeroPoints.Length)], zy = zeroPoints[rng.Next(zeroPoints.Length)];
                (int min, int max) = rng.Next(3) switch { 0 => (-128, 127), 1 => (zy, 127), _ => (Math.Max(-128, zy - 30), Math.Min(127, zy + 40)) };
                sbyte[] x = S8TestData.Values(rng, k), w = S8TestData.Values(rng, outputs * k);
                int[] bias = rng.Next(3) == 0 ? [] : S8TestData.Bias(rng, outputs, huge: true);
                Int8Requant requant = S8TestData.Requant(rng, outputs, zx, zy, min, max);
                var expected = new sbyte[outputs];
                DenseKernels.Int8(x, w, bias, expected, 1, k, outputs, requant);
                var g = new ConvGeometry { Batch = 1, InC = k, OutC = outputs };
                string context = $"{Dense} k {k} outputs {outputs} zx {zx} zy {zy} clamp [{min}, {max}] bias {bias.Length}";
                Tolerance.Equal(expected, S8GemmTests.Execute(e, g, x, w, bias, requant, null, context)!, context);
            }
        }
    }

    [Fact]
    public void Pointwise_conv_one_pixel_with_groups_and_threads_matches_the_reference()
    {
        if (!Executable())
        {
            return;
        }

        KernelEntry<ConvS8Plan> e = S8GemmTests.Entry(Conv);
        var rng = new Random(31);
        using var pool = new WorkerPool(3);
        foreach ((int group, int kc, int oc) in new[] { (1, 37, 200), (3, 5, 20), (2, 64, 150), (4, 1, 1) })
        {
            foreach (WorkerPool? p in new[] { null, pool })
            {
                var g = new ConvGeometry { InH = 1, InW = 1, InC = group * kc, OutH = 1, OutW = 1, OutC = group * oc, Group = group };
                S8GemmTests.CheckConv(e, g, rng, expectPlainGemm: null, p);
            }
        }
    }

    [Fact]
    public void Rows_refuse_more_than_one_row_or_a_kernel_wider_than_1x1()
    {
        foreach ((string name, ConvGeometry g) in new[]
        {
            (Dense, new ConvGeometry { Batch = 2, InC = 8, OutC = 4 }),
            (Conv, new ConvGeometry { InH = 1, InW = 2, InC = 8, OutH = 1, OutW = 2, OutC = 4 }),
            (Conv, new ConvGeometry { InH = 3, InW = 3, InC = 8, OutH = 1, OutW = 1, OutC = 4, KH = 3, KW = 3 }),
            (Conv, new ConvGeometry { InH = 2, InW = 2, InC = 8, OutH = 1, OutW = 1, OutC = 4, StrideH = 2, StrideW = 2 }),
        })
        {
            var plan = new ConvS8Plan(default, g, new Int8Requant(0, 0, new int[4], new int[4], -128, 127), "s8-conv-ref", null);
            Assert.False(S8GemmTests.Entry(name).Accepts(plan), $"{name} accepted {g}");
        }

        var one = new ConvS8Plan(default, new ConvGeometry { Batch = 1, InC = 8, OutC = 4 }, new Int8Requant(0, 0, new int[4], new int[4], -128, 127), "s8-dense-ref", null);
        Assert.True(S8GemmTests.Entry(Dense).Accepts(one));
    }

    /// <summary>
    /// The rows need AVX2; in the child process that switches AVX2 off (IsaPathTests) they must then be neither supported
    /// nor executable, so Plan cannot choose them, and that is what the tests check there.
    /// </summary>
    private static bool Executable()
    {
        foreach (string name in (string[])[Conv, Dense])
        {
            KernelInfo row = KernelTable.Find(name);
            Assert.Equal(System.Runtime.Intrinsics.X86.Avx2.IsSupported, row.CanExecute);
            Assert.Equal(row.CanExecute, row.IsSupported);
        }

        return KernelTable.Find(Conv).CanExecute;
    }
}
