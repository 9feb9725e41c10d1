using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// The int8 row-tap GEMM (s8-conv-gemmrows-6x16c2-minmax-avx2: few input channels, taps that are whole kernel rows of the
/// padded, widened input) bit-exact against the reference: 1, 2 and 3 channels (odd and even KW * C), 2x2 to 7x7 and
/// non-square windows, strides 1-3, vertical dilation, padding on every side (the buffer's borders) and none, batches,
/// output channels around NR and pixels around MR, with and without worker threads; and the shapes it must refuse.
/// </summary>
[Trait("Category", "Kernels")]
public class S8ConvGemmRowsTests
{
    private const string Row = "s8-conv-gemmrows-6x16c2-minmax-avx2";

    [Fact]
    public void Row_taps_match_the_reference_over_channels_windows_strides_and_padding()
    {
        if (!Executable(out KernelEntry<ConvS8Plan> e))
        {
            return;
        }

        var rng = new Random(31);
        foreach (int c in (int[])[1, 2, 3])
        {
            foreach ((int kh, int kw, int stride, int pad) in new[] { (3, 3, 2, 1), (3, 3, 1, 1), (7, 7, 2, 3), (5, 5, 1, 2), (2, 2, 2, 0), (3, 5, 3, 2), (5, 3, 1, 0) })
            {
                foreach (int outC in (int[])[9, 16, 17, 32, 33, 64])
                {
                    int inH = 5 + rng.Next(10), inW = 5 + rng.Next(10);
                    var g = new ConvGeometry
                    {
                        Batch = 1 + rng.Next(2), InH = inH, InW = inW, InC = c, OutC = outC, KH = kh, KW = kw, StrideH = stride, StrideW = stride,
                        PadH = pad, PadW = pad, OutH = Out(inH, kh, stride, pad, 1), OutW = Out(inW, kw, stride, pad, 1),
                    };
                    S8GemmTests.CheckConv(e, g, rng, expectPlainGemm: null);
                }
            }
        }
    }

    [Fact]
    public void Row_taps_match_the_reference_at_the_buffer_edges()
    {
        if (!Executable(out KernelEntry<ConvS8Plan> e))
        {
            return;
        }

        var rng = new Random(32);
        foreach (ConvGeometry g in new[]
        {
            // Top-left padding only (the output stops before the bottom-right border) and more bottom padding than top.
            new ConvGeometry { InH = 8, InW = 9, InC = 3, OutH = 4, OutW = 4, OutC = 24, KH = 3, KW = 3, StrideH = 2, StrideW = 2, PadH = 1, PadW = 1 },
            new ConvGeometry { InH = 6, InW = 6, InC = 3, OutH = 5, OutW = 5, OutC = 20, KH = 3, KW = 3, StrideH = 1, StrideW = 1, PadH = 0, PadW = 0, },
            new ConvGeometry { InH = 5, InW = 5, InC = 3, OutH = 6, OutW = 6, OutC = 20, KH = 3, KW = 3, PadH = 1, PadW = 1 },
            // Windows mostly padding, one output pixel, vertical dilation, and a 224-wide stem row (MobileNetV2's geometry, fewer rows).
            new ConvGeometry { InH = 2, InW = 3, InC = 1, OutH = 2, OutW = 3, OutC = 10, KH = 5, KW = 5, PadH = 2, PadW = 2 },
            new ConvGeometry { InH = 3, InW = 3, InC = 2, OutH = 1, OutW = 1, OutC = 40, KH = 3, KW = 3 },
            new ConvGeometry { Batch = 2, InH = 9, InW = 8, InC = 2, OutH = 5, OutW = 8, OutC = 17, KH = 3, KW = 5, DilationH = 2, PadH = 0, PadW = 2 },
            new ConvGeometry { InH = 7, InW = 224, InC = 3, OutH = 3, OutW = 112, OutC = 32, KH = 3, KW = 3, StrideH = 2, StrideW = 2, PadH = 0, PadW = 0 },
        })
        {
            S8GemmTests.CheckConv(e, g, rng, expectPlainGemm: null);
        }
    }

    [Fact]
    public void Worker_threads_compute_the_same()
    {
        if (!Executable(out KernelEntry<ConvS8Plan> e))
        {
            return;
        }

        var rng = new Random(33);
        using var pool = new WorkerPool(3);
        var g = new ConvGeometry
        {
            Batch = 2, InH = 15, InW = 13, InC = 3, OutH = 8, OutW = 7, OutC = 40, KH = 3, KW = 3, StrideH = 2, StrideW = 2, PadH = 1, PadW = 1,
        };
        S8GemmTests.CheckConv(e, g, rng, expectPlainGemm: null, pool);
    }

    [Fact]
    public void Row_refuses_wide_inputs_1_wide_windows_horizontal_dilation_groups_and_few_outputs()
    {
        if (!Executable(out KernelEntry<ConvS8Plan> e))
        {
            return;
        }

        foreach (ConvGeometry g in new[]
        {
            new ConvGeometry { InH = 6, InW = 6, InC = 4, OutH = 6, OutW = 6, OutC = 16, KH = 3, KW = 3, PadH = 1, PadW = 1 },
            new ConvGeometry { InH = 6, InW = 6, InC = 3, OutH = 4, OutW = 6, OutC = 16, KH = 3, KW = 1 },
            new ConvGeometry { InH = 9, InW = 9, InC = 3, OutH = 7, OutW = 5, OutC = 16, KH = 3, KW = 3, DilationW = 2 },
            new ConvGeometry { InH = 6, InW = 6, InC = 2, OutH = 4, OutW = 4, OutC = 32, KH = 3, KW = 3, Group = 2 },
            new ConvGeometry { InH = 6, InW = 6, InC = 3, OutH = 4, OutW = 4, OutC = 8, KH = 3, KW = 3 },
        })
        {
            var plan = new ConvS8Plan(default, g, new Int8Requant(0, 0, new int[g.OutC], new int[g.OutC], -128, 127), "s8-conv-ref", null);
            Assert.False(e.Accepts(plan), $"{Row} accepted {g}");
        }
    }

    [Fact]
    public void Plan_chooses_the_row_for_3_channel_stems_and_the_indirect_gemm_from_4_channels()
    {
        if (!Executable(out _))
        {
            return;
        }

        foreach ((int c, int k, string expected) in new[] { (3, 3, Row), (3, 7, Row), (1, 5, Row), (4, 3, "s8-conv-gemm-6x16c2-minmax-avx2") })
        {
            var g = new ConvGeometry { InH = 16, InW = 16, InC = c, OutH = 8, OutW = 8, OutC = 32, KH = k, KW = k, StrideH = 2, StrideW = 2, PadH = k / 2, PadW = k / 2 };
            var plan = new ConvS8Plan(default, g, new Int8Requant(0, 0, new int[g.OutC], new int[g.OutC], -128, 127), "s8-conv-ref", null);
            Assert.Equal(expected, KernelTable.Choose(OpCode.Conv, DataType.Int8, plan, SessionOptions.Default).Name);
        }
    }

    private static int Out(int size, int k, int stride, int pad, int dilation) => ((size + (2 * pad) - (dilation * (k - 1)) - 1) / stride) + 1;

    /// <summary>The row needs AVX2; where AVX2 is off (IsaPathTests' child) it must be neither supported nor executable.</summary>
    private static bool Executable(out KernelEntry<ConvS8Plan> entry)
    {
        entry = (KernelEntry<ConvS8Plan>)KernelTable.Find(Row);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx2.IsSupported, entry.CanExecute);
        Assert.Equal(entry.CanExecute, entry.IsSupported);
        return entry.CanExecute;
    }
}
