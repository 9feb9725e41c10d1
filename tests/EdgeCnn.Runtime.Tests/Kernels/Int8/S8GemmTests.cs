using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Int8;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Kernels.X86;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// Every int8 GEMM row of the kernel table this CPU can execute, as convolution (plain and indirect) and Dense, against the
/// reference kernels bit for bit: output channels and pixel counts that leave every partial tile, input channels that
/// leave every reduction tail, 1D/2D/3D, strides, dilations, padding, groups, zero points at -128 and 127, weights at
/// -128 and 127, biases that make the int32 sum wrap, and every clamp. Each failure names the kernel and the case.
/// </summary>
[Trait("Category", "Kernels")]
public unsafe class S8GemmTests
{
    public static TheoryData<string> Kernels() => GemmRows(OpCode.Conv);

    public static TheoryData<string> DenseKernels() => GemmRows(OpCode.Dense);

    /// <summary>The GEMM rows of the op that can execute here (forced when not accelerated).</summary>
    private static TheoryData<string> GemmRows(OpCode op)
    {
        var data = new TheoryData<string>();
        foreach (KernelInfo k in KernelTable.For(op, DataType.Int8).Where(k => !k.IsReference && k.CanExecute))
        {
            if (k.Name.Contains("-gemm-", StringComparison.Ordinal))
            {
                data.Add(k.Name);
            }
        }

        return data;
    }

    internal static KernelEntry<ConvS8Plan> Entry(string name) => (KernelEntry<ConvS8Plan>)KernelTable.Find(name);

    [Fact]
    public void Every_gemm_row_is_in_the_table_for_conv_and_dense()
    {
        foreach (string isa in (string[])["4x16c4-minmax-avxvnni", "6x16c2-minmax-avx2", "4x8c4-minmax-avx2", "4x16c4-minmax-avx512", "4x16c4-minmax-avxvnniemu", "4x8c4-minmax-v128"])
        {
            Assert.IsType<KernelEntry<ConvS8Plan>>(KernelTable.Find("s8-conv-gemm-" + isa));
            Assert.IsType<KernelEntry<ConvS8Plan>>(KernelTable.Find("s8-dense-gemm-" + isa));
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Pointwise_conv_every_tail(string kernel)
    {
        KernelEntry<ConvS8Plan> e = Entry(kernel);
        var rng = new Random(1);
        for (int inC = 1; inC <= 19; inC++)
        {
            foreach (int outC in new[] { 1, 3, e.TileColumns - 1, e.TileColumns, e.TileColumns + 1, (2 * e.TileColumns) + 5 })
            {
                int pixels = rng.Next(1, (3 * e.TileRows) + 2);
                var g = new ConvGeometry { InW = pixels, InC = inC, OutW = pixels, OutC = outC };
                CheckConv(e, g, rng, expectPlainGemm: true);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Conv_geometries_match_the_reference(string kernel)
    {
        KernelEntry<ConvS8Plan> e = Entry(kernel);
        var rng = new Random(2);
        (int H, int W, int C, int O, int K, int S, int D, int P, int G)[] cases =
        [
            (5, 5, 3, 8, 3, 1, 1, 1, 1),   // SAME 3x3
            (6, 7, 16, 17, 3, 2, 1, 1, 1), // stride 2, channel tail
            (7, 6, 5, 9, 3, 1, 2, 2, 1),   // dilation 2
            (4, 4, 8, 12, 1, 2, 1, 0, 1),  // 1x1 stride 2: indirect
            (5, 4, 6, 6, 3, 1, 1, 1, 3),   // groups of 2 in / 2 out
            (5, 5, 4, 4, 3, 1, 1, 1, 4),   // depthwise through the GEMM
            (3, 3, 7, 5, 5, 1, 1, 3, 1),   // kernel larger than the input, all but one tap padded
            (9, 2, 33, 40, 2, 1, 1, 0, 1), // even kernel, no padding
            (1, 1, 1, 1, 1, 1, 1, 0, 1),   // one of everything
        ];
        foreach (var c in cases)
        {
            int outH = ((c.H + (2 * c.P) - (((c.K - 1) * c.D) + 1)) / c.S) + 1;
            int outW = ((c.W + (2 * c.P) - (((c.K - 1) * c.D) + 1)) / c.S) + 1;
            var g = new ConvGeometry
            {
                Batch = 2, InH = c.H, InW = c.W, InC = c.C, OutH = outH, OutW = outW, OutC = c.O, KH = c.K, KW = c.K,
                StrideH = c.S, StrideW = c.S, DilationH = c.D, DilationW = c.D, PadH = c.P, PadW = c.P, Group = c.G,
            };
            CheckConv(e, g, rng, expectPlainGemm: c.K == 1 && c.S == 1 && c.P == 0);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Random_1d_2d_3d_convolutions_match_the_reference(string kernel)
    {
        KernelEntry<ConvS8Plan> e = Entry(kernel);
        var rng = new Random(3);
        for (int i = 0; i < 40; i++)
        {
            int rank = rng.Next(1, 4), group = rng.Next(1, 4);
            int[] inp = new int[3], k = new int[3], s = new int[3], d = new int[3], p = new int[3], o = new int[3];
            for (int a = 0; a < 3; a++)
            {
                bool used = a >= 3 - rank;
                inp[a] = used ? rng.Next(1, 7) : 1;
                k[a] = used ? rng.Next(1, 4) : 1;
                s[a] = used ? rng.Next(1, 3) : 1;
                d[a] = used ? rng.Next(1, 3) : 1;
                p[a] = used ? rng.Next(0, 3) : 0;
                o[a] = ((inp[a] + (2 * p[a]) - (((k[a] - 1) * d[a]) + 1)) / s[a]) + 1;
            }

            if (o.Any(v => v < 1))
            {
                continue;
            }

            var g = new ConvGeometry
            {
                Batch = rng.Next(1, 3), InD = inp[0], InH = inp[1], InW = inp[2], InC = group * rng.Next(1, 11),
                OutD = o[0], OutH = o[1], OutW = o[2], OutC = group * rng.Next(1, 21), KD = k[0], KH = k[1], KW = k[2],
                StrideD = s[0], StrideH = s[1], StrideW = s[2], DilationD = d[0], DilationH = d[1], DilationW = d[2],
                PadD = p[0], PadH = p[1], PadW = p[2], Group = group,
            };
            CheckConv(e, g, rng, expectPlainGemm: null);
        }
    }

    [Theory]
    [MemberData(nameof(DenseKernels))]
    public void Dense_matches_the_reference(string kernel)
    {
        KernelEntry<ConvS8Plan> e = Entry(kernel);
        var rng = new Random(4);
        foreach ((int rows, int k, int outputs) in new[] { (1, 1, 1), (1, 256, 10), (3, 7, 17), (5, 64, 33), (9, 3, 16), (4, 1000, 8) })
        {
            foreach ((int zx, int zy) in new[] { (-128, 127), (127, -128), (3, -7) })
            {
                sbyte[] x = S8TestData.Values(rng, rows * k), w = S8TestData.Values(rng, outputs * k);
                int[] bias = rng.Next(3) == 0 ? [] : S8TestData.Bias(rng, outputs, huge: true);
                Int8Requant requant = S8TestData.Requant(rng, outputs, zx, zy, -128, 127);
                var expected = new sbyte[rows * outputs];
                EdgeCnn.Runtime.Kernels.Reference.DenseKernels.Int8(x, w, bias, expected, rows, k, outputs, requant);
                var g = new ConvGeometry { Batch = rows, InC = k, OutC = outputs };
                string context = $"{e.Name} rows {rows} k {k} outputs {outputs} zx {zx} zy {zy} bias {bias.Length}";
                if (Execute(e, g, x, w, bias, requant, null, context) is { } y)
                {
                    Tolerance.Equal(expected, y, context);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Worker_threads_compute_the_same(string kernel)
    {
        KernelEntry<ConvS8Plan> e = Entry(kernel);
        var rng = new Random(5);
        using var pool = new WorkerPool(3);
        var g = new ConvGeometry
        {
            Batch = 2, InH = 7, InW = 6, InC = 12, OutH = 7, OutW = 6, OutC = 20, KH = 3, KW = 3, PadH = 1, PadW = 1, Group = 2,
        };
        CheckConv(e, g, rng, expectPlainGemm: false, pool);
    }

    /// <summary>Random data for geometry g (zero points, clamps and bias drawn per call), reference vs kernel.</summary>
    internal static void CheckConv(KernelEntry<ConvS8Plan> e, ConvGeometry g, Random rng, bool? expectPlainGemm, WorkerPool? pool = null)
    {
        int[] zeroPoints = [-128, 127, 0, -5, 60];
        int zx = zeroPoints[rng.Next(zeroPoints.Length)], zy = zeroPoints[rng.Next(zeroPoints.Length)];
        (int min, int max) = rng.Next(3) switch { 0 => (-128, 127), 1 => (zy, 127), _ => (Math.Max(-128, zy - 30), Math.Min(127, zy + 40)) };
        int inCount = g.Batch * g.InD * g.InH * g.InW * g.InC;
        sbyte[] x = S8TestData.Values(rng, inCount), w = S8TestData.Values(rng, g.OutC * g.WeightsPerOutput);
        int[] bias = rng.Next(4) == 0 ? [] : S8TestData.Bias(rng, g.OutC, huge: rng.Next(2) == 0);
        Int8Requant requant = S8TestData.Requant(rng, g.OutC, zx, zy, min, max);
        var expected = new sbyte[g.Batch * g.OutD * g.OutH * g.OutW * g.OutC];
        ConvKernels.Int8(x, w, bias, expected, g, requant);
        string context = $"{e.Name} {g} zx {zx} zy {zy} clamp [{min}, {max}] bias {bias.Length} threads {pool?.Threads ?? 1}";
        if (Execute(e, g, x, w, bias, requant, pool, context, expectPlainGemm) is { } y)
        {
            Tolerance.Equal(expected, y, context);
        }
    }

    /// <summary>
    /// Plans the row's kernel over pinned copies of the operands, runs it twice, returns the output; null when the row
    /// refuses the plan for its one documented reason (the 6x16c2 tile leaves groups of at most 8 output channels to the
    /// 4x8c4 tile, S8ConvGemmI16.MinGroupOutC). Any other refusal fails.
    /// </summary>
    internal static sbyte[]? Execute(KernelEntry<ConvS8Plan> e, ConvGeometry g, sbyte[] x, sbyte[] w, int[] bias, Int8Requant requant,
        WorkerPool? pool, string context, bool? expectPlainGemm = null)
    {
        int outCount = g.Batch * g.OutD * g.OutH * g.OutW * g.OutC;
        var y = new sbyte[outCount + 1];
        y.AsSpan().Fill(-99); // poison: an output the kernel forgets fails
        fixed (sbyte* px = x)
        fixed (sbyte* pw = w)
        fixed (int* pb = bias)
        fixed (sbyte* py = y)
        {
            var tensors = new ConvTensors((byte*)px, x.Length, (byte*)pw, w.Length, bias.Length == 0 ? null : (byte*)pb, bias.Length, (byte*)py, outCount);
            var plan = new ConvS8Plan(tensors, g, requant, "s8-conv-ref", pool);
            if (!e.Accepts(plan))
            {
                Assert.True(e.Name.Contains("-6x16c2-", StringComparison.Ordinal) && g.GroupOutC < S8ConvGemmI16<S8Gemm6x16c2Avx2>.MinGroupOutC,
                    $"{context}: the row refuses the plan");
                return null;
            }

            Kernel kernel = e.Create(plan);
            Assert.Equal(e.Name, kernel.Name);
            if (expectPlainGemm is { } plain)
            {
                Assert.True(((IS8GemmKernel)kernel).IsPlainGemm == plain, $"{context}: plain GEMM expected {plain}");
            }

            kernel.Run();
            kernel.Run(); // a second run gives the same: nothing carried over
        }

        Assert.True(y[^1] == -99, $"{context}: wrote past the output");
        return y[..^1];
    }
}
