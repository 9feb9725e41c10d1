using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// Every direct int8 depthwise row against the reference convolution, bit for bit: channel counts 1..40 (every tail of
/// 4, 8 and 16 lanes), 3x3 and other windows, strides 1 and 2, dilation, padding on every side, 1D and 3D, batches, zero
/// points at -128 and 127, weights at the int8 extremes. The 3x3 rows must refuse other windows.
/// </summary>
[Trait("Category", "Kernels")]
public class S8DepthwiseTests
{
    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (KernelInfo k in KernelTable.For(OpCode.Conv, DataType.Int8).Where(k => !k.IsReference && k.CanExecute))
        {
            if (k.Name.Contains("-dw-", StringComparison.Ordinal))
            {
                data.Add(k.Name);
            }
        }

        return data;
    }

    [Fact]
    public void The_table_has_3x3_and_general_depthwise_rows_for_avx2_and_v128()
    {
        foreach (string name in (string[])["s8-conv-dw-3x3-minmax-avx2", "s8-conv-dw-minmax-avx2", "s8-conv-dw-3x3-minmax-v128", "s8-conv-dw-minmax-v128"])
        {
            Assert.Equal(OpCode.Conv, KernelTable.Find(name).Op);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Depthwise_matches_the_reference(string kernel)
    {
        KernelEntry<Runtime.Kernels.ConvS8Plan> e = S8GemmTests.Entry(kernel);
        bool only3x3 = kernel.Contains("-3x3-", StringComparison.Ordinal);
        var rng = new Random(11);
        (int H, int W, int K, int S, int D, int P)[] windows = only3x3
            ? [(5, 5, 3, 1, 1, 1), (7, 6, 3, 2, 1, 1), (6, 6, 3, 1, 2, 2), (4, 5, 3, 2, 1, 0), (2, 2, 3, 1, 1, 2), (1, 1, 3, 1, 1, 1)]
            : [(5, 5, 3, 1, 1, 1), (9, 8, 5, 2, 1, 2), (6, 7, 2, 1, 1, 0), (5, 5, 1, 2, 1, 0), (6, 6, 3, 2, 2, 3), (3, 3, 7, 1, 1, 3)];
        for (int c = 1; c <= 40; c++)
        {
            var win = windows[c % windows.Length];
            int outH = ((win.H + (2 * win.P) - (((win.K - 1) * win.D) + 1)) / win.S) + 1;
            int outW = ((win.W + (2 * win.P) - (((win.K - 1) * win.D) + 1)) / win.S) + 1;
            var g = new ConvGeometry
            {
                Batch = 1 + (c % 2), InH = win.H, InW = win.W, InC = c, OutH = outH, OutW = outW, OutC = c, KH = win.K, KW = win.K,
                StrideH = win.S, StrideW = win.S, DilationH = win.D, DilationW = win.D, PadH = win.P, PadW = win.P, Group = c,
            };
            S8GemmTests.CheckConv(e, g, rng, expectPlainGemm: null);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Depthwise_1d_and_3d_match_the_reference_where_accepted(string kernel)
    {
        KernelEntry<Runtime.Kernels.ConvS8Plan> e = S8GemmTests.Entry(kernel);
        var rng = new Random(12);
        var oneD = new ConvGeometry { InW = 11, InC = 13, OutW = 6, OutC = 13, KW = 3, StrideW = 2, PadW = 1, Group = 13 };
        var threeD = new ConvGeometry
        {
            InD = 3, InH = 4, InW = 5, InC = 17, OutD = 3, OutH = 4, OutW = 5, OutC = 17, KD = 3, KH = 3, KW = 3, PadD = 1, PadH = 1, PadW = 1, Group = 17,
        };
        var threeByThree = new ConvGeometry { InH = 4, InW = 4, InC = 9, OutH = 4, OutW = 4, OutC = 9, KH = 3, KW = 3, PadH = 1, PadW = 1, Group = 9 };
        int accepted = 0;
        foreach (ConvGeometry g in (ConvGeometry[])[oneD, threeD, threeByThree])
        {
            bool is3x3 = g.KD == 1 && g.KH == 3 && g.KW == 3;
            if (kernel.Contains("-3x3-", StringComparison.Ordinal) && !is3x3)
            {
                var plan = new Runtime.Kernels.ConvS8Plan(default, g, S8TestData.Requant(rng, g.OutC, 0, 0, -128, 127), "s8-conv-ref", null);
                Assert.False(e.Accepts(plan), $"{kernel} accepted {g}");

                continue;
            }

            S8GemmTests.CheckConv(e, g, rng, expectPlainGemm: null);
            accepted++;
        }

        Assert.True(accepted > 0, $"{kernel} accepted no case");
    }

    /// <summary>
    /// Rows long enough that the interior (one row-loop call, tap pointers advanced by stride x C) dominates, beside every
    /// border shape: widths 1..24 under 3x3 windows with padding 0..2, strides 1 and 2 and dilations 1 and 2 (interiors
    /// empty, one pixel, or all but the edges), channel counts on and off the 8- and 16-lane blocks.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Depthwise_rows_with_interiors_of_every_length_match_the_reference(string kernel)
    {
        KernelEntry<Runtime.Kernels.ConvS8Plan> e = S8GemmTests.Entry(kernel);
        var rng = new Random(13);
        int[] channels = [1, 7, 8, 9, 16, 17, 24, 33];
        int cases = 0;
        for (int w = 1; w <= 24; w++)
        {
            foreach ((int s, int d, int p) in ((int, int, int)[])[(1, 1, 1), (1, 1, 0), (2, 1, 1), (1, 2, 2), (2, 2, 1), (1, 1, 2)])
            {
                int outW = ((w + (2 * p) - ((2 * d) + 1)) / s) + 1;
                int h = 3 + (w % 3);
                int outH = ((h + (2 * p) - ((2 * d) + 1)) / s) + 1;
                if (outW < 1 || outH < 1)
                {
                    continue;
                }

                int c = channels[cases++ % channels.Length];
                var g = new ConvGeometry
                {
                    InH = h, InW = w, InC = c, OutH = outH, OutW = outW, OutC = c, KH = 3, KW = 3,
                    StrideH = s, StrideW = s, DilationH = d, DilationW = d, PadH = p, PadW = p, Group = c,
                };
                S8GemmTests.CheckConv(e, g, rng, expectPlainGemm: null);
            }
        }

        Assert.True(cases > 100, $"only {cases} cases ran");
    }

    /// <summary>
    /// Rows whose three input rows overflow the row kernel's L1 segment (S8Depthwise3x3Avx2.SegmentBytes), so the channel
    /// blocks walk them in two to four segments: many channels (on and off the 8-lane blocks), strides 1 and 2 with
    /// dilation 1 (the sliding blocks) and stride 1 with dilation 2 (the pair blocks).
    /// </summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Depthwise_rows_longer_than_an_L1_segment_match_the_reference(string kernel)
    {
        KernelEntry<Runtime.Kernels.ConvS8Plan> e = S8GemmTests.Entry(kernel);
        var rng = new Random(15);
        foreach ((int c, int w, int s, int d) in ((int, int, int, int)[])[(200, 64, 1, 1), (203, 90, 1, 1), (200, 64, 2, 1), (97, 150, 2, 1), (203, 70, 1, 2)])
        {
            Assert.True(3L * (w - (2 * d)) / s * s * c > Runtime.Kernels.X86.S8Depthwise3x3Avx2.SegmentBytes, $"{c} x {w} fits one segment");
            int outW = ((w + 2 - ((2 * d) + 1)) / s) + 1, outH = ((4 + 2 - ((2 * d) + 1)) / s) + 1;
            var g = new ConvGeometry
            {
                InH = 4, InW = w, InC = c, OutH = outH, OutW = outW, OutC = c, KH = 3, KW = 3,
                StrideH = s, StrideW = s, DilationH = d, DilationW = d, PadH = 1, PadW = 1, Group = c,
            };
            S8GemmTests.CheckConv(e, g, rng, expectPlainGemm: null);
        }
    }

    /// <summary>
    /// Each requantization the rows specialize on (per block of 8 channels: a left shift or none; the clamp [-128, 127], a
    /// raised Min alone, or both bounds), set deliberately rather than drawn, on rows whose interior spans many blocks:
    /// 24 and 29 channels, widths 20, strides 1 and 2 (dilation 1: the sliding blocks) and stride 1 with dilation 2 (the pair blocks), zero points at the extremes where the int8 store saturates.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Depthwise_rows_match_the_reference_under_every_requantization_shape(string kernel)
    {
        KernelEntry<Runtime.Kernels.ConvS8Plan> e = S8GemmTests.Entry(kernel);
        var rng = new Random(14);
        foreach (bool leftShift in (bool[])[false, true])
        {
            foreach ((int zy, int min, int max) in ((int, int, int)[])[(-128, -128, 127), (127, -128, 127), (-128, -100, 127), (5, 5, 127), (-5, -35, 35)])
            {
                foreach ((int c, int s, int d) in ((int, int, int)[])[(24, 1, 1), (29, 2, 1), (24, 1, 2)])
                {
                    var g = new ConvGeometry
                    {
                        InH = 5, InW = 20, InC = c, OutH = ((5 + 2 - ((2 * d) + 1)) / s) + 1, OutW = ((20 + 2 - ((2 * d) + 1)) / s) + 1, OutC = c, KH = 3, KW = 3,
                        StrideH = s, StrideW = s, DilationH = d, DilationW = d, PadH = 1, PadW = 1, Group = c,
                    };
                    var multipliers = new int[c];
                    var shifts = new int[c];
                    for (int o = 0; o < c; o++)
                    {
                        // Below 1 (a right shift only), or 2^0..2^3 on every third channel: every block then has a left shift.
                        double real = leftShift && o % 3 == 0 ? Math.Pow(2, rng.Next(0, 4)) * (1 + rng.NextDouble()) : Math.Pow(2, -rng.Next(4, 14)) * (1 + rng.NextDouble());
                        (multipliers[o], shifts[o]) = Runtime.Quantization.FixedPoint.QuantizeMultiplier(real);
                        Assert.True(leftShift && o % 3 == 0 ? shifts[o] > 0 : shifts[o] <= 0, $"multiplier {real} gave shift {shifts[o]}");
                    }

                    var requant = new Int8Requant(rng.Next(2) == 0 ? -128 : 3, zy, multipliers, shifts, min, max);
                    sbyte[] x = S8TestData.Values(rng, g.InH * g.InW * c), w = S8TestData.Values(rng, c * 9);
                    int[] bias = S8TestData.Bias(rng, c, huge: false);
                    var expected = new sbyte[g.OutH * g.OutW * c];
                    ConvKernels.Int8(x, w, bias, expected, g, requant);
                    string context = $"{kernel} {g} left shift {leftShift} zy {zy} clamp [{min}, {max}]";
                    sbyte[]? y = S8GemmTests.Execute(e, g, x, w, bias, requant, null, context);
                    Assert.NotNull(y);
                    Tolerance.Equal(expected, y, context);
                }
            }
        }
    }

    [Fact]
    public void The_interior_columns_are_exactly_those_whose_window_lies_inside_the_width()
    {
        for (int inW = 1; inW <= 20; inW++)
        {
            for (int k = 1; k <= 5; k++)
            {
                for (int s = 1; s <= 3; s++)
                {
                    for (int d = 1; d <= 3; d++)
                    {
                        for (int p = 0; p <= 4; p++)
                        {
                            int outW = ((inW + (2 * p) - (((k - 1) * d) + 1)) / s) + 1;
                            if (outW < 1)
                            {
                                continue;
                            }

                            (int begin, int end) = Runtime.Kernels.Int8.S8DepthwiseConv<Runtime.Kernels.X86.S8DepthwiseAvx2>.Interior(inW, outW, k, s, d, p);
                            for (int ow = 0; ow < outW; ow++)
                            {
                                bool inside = Enumerable.Range(0, k).All(t => (uint)((ow * s) - p + (t * d)) < (uint)inW);
                                Assert.True(inside == (ow >= begin && ow < end), $"inW {inW} k {k} stride {s} dilation {d} pad {p}: column {ow} inside {inside}, interior [{begin}, {end})");
                            }
                        }
                    }
                }
            }
        }
    }
}
