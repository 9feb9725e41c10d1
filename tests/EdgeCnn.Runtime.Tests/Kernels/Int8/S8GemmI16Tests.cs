using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Int8;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Quantization;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// What the shared S8GemmTests do not reach by chance in the int16-operand GEMM (s8-*-gemm-6x16c2-minmax-avx2): each
/// specialized epilogue (left shift or not, clamp below -128..127 or not) on a layer wide enough for two 16-column tiles
/// and a partial one, and both ways of widening the rows of a plain GEMM (per block on the stack, or the whole input
/// once when Kc exceeds the stack limit), odd Kc and group offsets included. Bit-exact against the reference kernels.
/// </summary>
[Trait("Category", "Kernels")]
public unsafe class S8GemmI16Tests
{
    private const string Conv = "s8-conv-gemm-6x16c2-minmax-avx2";
    private const string Dense = "s8-dense-gemm-6x16c2-minmax-avx2";

    public static TheoryData<int> Shapes() => [0, 1, 2, 3, 4, 5, 6, 7];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_requantization_shape_matches_the_reference(int shape)
    {
        if (!Executable())
        {
            return;
        }

        var expected = (S8RequantShape)shape;
        bool left = expected.HasFlag(S8RequantShape.LeftShift);
        int min = expected.HasFlag(S8RequantShape.ClampMin) ? -20 : -128, max = expected.HasFlag(S8RequantShape.ClampMax) ? 90 : 127;
        var rng = new Random(10 + shape);
        foreach ((int k, int pad, int inC) in new[] { (1, 0, 24), (3, 1, 19), (1, 0, 7) })
        {
            var g = new ConvGeometry { Batch = 2, InH = 5, InW = 4, InC = inC, OutH = 5, OutW = 4, OutC = 37, KH = k, KW = k, PadH = pad, PadW = pad };
            Int8Requant requant = RequantWith(rng, g.OutC, left, min, max);
            S8GemmI16Kernel kernel = Check(Conv, g, requant, rng);
            Assert.Equal(expected, kernel.Shape);
        }
    }

    [Fact]
    public void Plain_gemm_rows_widen_per_block_or_once_for_the_whole_input()
    {
        if (!Executable())
        {
            return;
        }

        var rng = new Random(20);
        Int8Requant requant = S8TestData.Requant(rng, 21, 5, -3, -128, 127);
        foreach ((int kc, bool whole) in new[] { (2047, false), (2049, true), (S8ConvGemmI16<EdgeCnn.Runtime.Kernels.X86.S8Gemm6x16c2Avx2>.StackKc + 101, true) })
        {
            var dense = new ConvGeometry { Batch = 7, InC = kc, OutC = 21 };
            Assert.Equal(whole, Check(Dense, dense, requant, rng).WidensWholeInput);
        }

        // 1x1 groups: odd Kc read from the middle of a pixel (AOffset) into the stack rows.
        var grouped = new ConvGeometry { InH = 3, InW = 5, InC = 15, OutH = 3, OutW = 5, OutC = 30, Group = 3 };
        Assert.False(Check(Conv, grouped, S8TestData.Requant(rng, 30, -128, 0, -128, 127), rng).WidensWholeInput);
    }

    [Fact]
    public void Panels_beyond_the_l2_budget_run_in_column_chunks_and_match_the_reference()
    {
        if (!Executable())
        {
            return;
        }

        // A layer4-like 3x3 convolution: 9 x 520 values per output, so one 16-column panel is 9,360 int16 pairs (150 KB)
        // and every panel is its own chunk; 41 outputs make two full panels and a partial one, 5x5 pixels 5 row blocks.
        var rng = new Random(30);
        var g = new ConvGeometry { InH = 5, InW = 5, InC = 520, OutH = 5, OutW = 5, OutC = 41, KH = 3, KW = 3, PadH = 1, PadW = 1 };
        Assert.Equal(3, Check(Conv, g, S8TestData.Requant(rng, 41, -128, 0, -128, 127), rng).ColumnChunks);

        // Grouped, with chunks of several panels: 2 groups of 600 inputs x 80 outputs (1x1: 600 values, 19 KB a panel).
        var grouped = new ConvGeometry { InH = 2, InW = 7, InC = 1200, OutH = 2, OutW = 7, OutC = 160, Group = 2 };
        Assert.Equal(1, Check(Conv, grouped, S8TestData.Requant(rng, 160, -128, 0, -128, 127), rng).ColumnChunks);
        var wide = new ConvGeometry { InH = 2, InW = 7, InC = 2400, OutH = 2, OutW = 7, OutC = 200, Group = 2, KH = 3, KW = 1, PadH = 1 };
        Assert.True(Check(Conv, wide, S8TestData.Requant(rng, 200, -128, 0, -128, 127), rng).ColumnChunks > 1);
    }

    [Fact]
    public void Plan_leaves_groups_of_at_most_8_outputs_to_the_4x8c4_tile()
    {
        if (!Executable())
        {
            return;
        }

        foreach ((int outPerGroup, string expected) in new[] { (8, "s8-conv-gemm-4x8c4-minmax-avx2"), (9, Conv), (16, Conv) })
        {
            var g = new ConvGeometry { InH = 6, InW = 6, InC = 32, OutH = 6, OutW = 6, OutC = 4 * outPerGroup, KH = 3, KW = 3, PadH = 1, PadW = 1, Group = 4 };
            var plan = new ConvS8Plan(default, g, new Int8Requant(0, 0, new int[g.OutC], new int[g.OutC], -128, 127), "s8-conv-ref", null);
            Assert.Equal(expected, KernelTable.Choose(OpCode.Conv, DataType.Int8, plan, SessionOptions.Default).Name);
        }
    }

    /// <summary>
    /// The rows need AVX2; in the child process that switches AVX2 off (IsaPathTests) they must then be neither supported
    /// nor executable, so Plan cannot choose them, and that is what the test checks there.
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

    /// <summary>Multipliers in [1, 8) (left shifts) on every third channel when <paramref name="left"/>, else all below 0.5.</summary>
    private static Int8Requant RequantWith(Random rng, int channels, bool left, int min, int max)
    {
        var multipliers = new int[channels];
        var shifts = new int[channels];
        for (int o = 0; o < channels; o++)
        {
            double real = left && o % 3 == 0 ? Math.Pow(2, rng.Next(0, 3)) * (1 + rng.NextDouble()) : Math.Pow(2, -rng.Next(2, 20)) * (1 + rng.NextDouble());
            (multipliers[o], shifts[o]) = FixedPoint.QuantizeMultiplier(real);
        }

        return new Int8Requant(rng.Next(-128, 128), rng.Next(-30, 30), multipliers, shifts, min, max);
    }

    /// <summary>Plans the row on random operands, checks it against the reference, returns what the kernel chose.</summary>
    private static S8GemmI16Kernel Check(string name, ConvGeometry g, Int8Requant requant, Random rng)
    {
        var e = (KernelEntry<ConvS8Plan>)KernelTable.Find(name);
        sbyte[] x = S8TestData.Values(rng, g.Batch * g.InD * g.InH * g.InW * g.InC), w = S8TestData.Values(rng, g.OutC * g.WeightsPerOutput);
        int[] bias = S8TestData.Bias(rng, g.OutC, huge: true);
        int outCount = g.Batch * g.OutD * g.OutH * g.OutW * g.OutC;
        var expected = new sbyte[outCount];
        ConvKernels.Int8(x, w, bias, expected, g, requant);
        var y = new sbyte[outCount];
        string context = $"{name} {g} shifts [{string.Join(' ', requant.Shifts)}] clamp [{requant.Min}, {requant.Max}]";
        fixed (sbyte* px = x)
        fixed (sbyte* pw = w)
        fixed (int* pb = bias)
        fixed (sbyte* py = y)
        {
            var tensors = new ConvTensors((byte*)px, x.Length, (byte*)pw, w.Length, (byte*)pb, bias.Length, (byte*)py, outCount);
            var kernel = (S8ConvGemmI16<EdgeCnn.Runtime.Kernels.X86.S8Gemm6x16c2Avx2>)e.Create(new ConvS8Plan(tensors, g, requant, "s8-conv-ref", null));
            kernel.Run();
            Tolerance.Equal(expected, y, context);
            return new S8GemmI16Kernel(kernel.RequantShape, kernel.WidensWholeInput, kernel.ColumnChunks);
        }
    }

    private readonly record struct S8GemmI16Kernel(S8RequantShape Shape, bool WidensWholeInput, int ColumnChunks);
}
