using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Quantization;
using EdgeCnn.Runtime.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>FsCheck properties of the convolution family: shape rules against brute-force counts, and equivalences between ops.</summary>
public class ConvolutionPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(100);

    private static void Check<T>(Gen<T> gen, Action<T> property) => FsCheck.Check.One(s_config, Prop.ForAll(Arb.From(gen), property));

    /// <summary>(input, kernel, stride, dilation, padBegin, padEnd, outputPadding) of one spatial axis.</summary>
    private static readonly Gen<int[]> s_axis =
        from input in Gen.Choose(1, 8)
        from k in Gen.Choose(1, 4)
        from s in Gen.Choose(1, 4)
        from d in Gen.Choose(1, 3)
        from pb in Gen.Choose(0, 3)
        from pe in Gen.Choose(0, 3)
        from op in Gen.Choose(0, 3)
        select new[] { input, k, s, d, pb, pe, op };

    [Fact]
    public void Conv_output_size_is_the_number_of_window_positions()
    {
        Check(Gen.Zip(s_axis, s_axis), axes =>
        {
            (int[] a, int[] b) = axes;
            // Brute force: window o starts at o*s - pb and its last tap must lie inside input + end padding.
            static int Count(int[] v)
            {
                int n = 0;
                while ((n * v[2]) - v[4] + ((v[1] - 1) * v[3]) <= v[0] - 1 + v[5])
                {
                    n++;
                }

                return n;
            }

            int ha = Count(a), wb = Count(b);
            var options = new ConvOptions { Strides = [a[2], b[2]], Dilations = [a[3], b[3]], Pads = [a[4], b[4], a[5], b[5]] };
            if (ha == 0 || wb == 0)
            {
                Assert.Throws<OpValidationException>(() => ConvolutionRun.Shape(OpCode.Conv, [1, a[0], b[0], 1], [2, a[1], b[1], 1], options));
                return;
            }

            Assert.Equal([1, ha, wb, 2], ConvolutionRun.Shape(OpCode.Conv, [1, a[0], b[0], 1], [2, a[1], b[1], 1], options));
        });
    }

    [Fact]
    public void Same_padding_gives_one_output_per_stride_step()
    {
        Check(Gen.Zip(s_axis, Gen.Elements(PadMode.SameUpper, PadMode.SameLower)), t =>
        {
            (int[] a, PadMode mode) = t;
            int count = Enumerable.Range(0, a[0]).Count(i => i % a[2] == 0); // positions o * s inside the input
            int[] shape = ConvolutionRun.Shape(OpCode.Conv, [1, a[0], 1], [1, a[1], 1],
                new ConvOptions { Strides = [a[2]], Dilations = [a[3]], PadMode = mode });
            Assert.Equal([1, count, 1], shape);
        });
    }

    [Fact]
    public void ConvTranspose_output_size_is_the_span_the_scatter_reaches()
    {
        Check(s_axis, a =>
        {
            // Brute force: the highest output index any (input, tap) pair reaches with zero padding, plus output padding,
            // minus the cropped pads.
            int reach = 0;
            for (int i = 0; i < a[0]; i++)
            {
                for (int k = 0; k < a[1]; k++)
                {
                    reach = Math.Max(reach, (i * a[2]) + (k * a[3]) + 1);
                }
            }

            int size = reach + a[6] - a[4] - a[5];
            var options = new ConvOptions { Strides = [a[2]], Dilations = [a[3]], Pads = [a[4], a[5]], OutputPadding = [a[6]] };
            if (size < 1 || a[6] >= Math.Max(a[2], a[3]))
            {
                Assert.Throws<OpValidationException>(() => ConvolutionRun.Shape(OpCode.ConvTranspose, [1, a[0], 1], [1, a[1], 1], options));
                return;
            }

            Assert.Equal([1, size, 3], ConvolutionRun.Shape(OpCode.ConvTranspose, [1, a[0], 1], [3, a[1], 1], options));
        });
    }

    /// <summary>(seed, n, h, w, c, o, int8).</summary>
    private static readonly Gen<(int Seed, int N, int H, int W, int C, int O, bool Int8)> s_small =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from n in Gen.Choose(1, 2)
        from h in Gen.Choose(1, 4)
        from w in Gen.Choose(1, 4)
        from c in Gen.Choose(1, 5)
        from o in Gen.Choose(1, 4)
        from int8 in Gen.Elements(false, true)
        select (seed, n, h, w, c, o, int8);

    private static readonly QuantizationInfo s_xq = QuantizationInfo.PerTensor(0.05f, 7);
    private static readonly QuantizationInfo s_yq = QuantizationInfo.PerTensor(0.1f, -4);

    /// <summary>Runs one op in fp32 or int8 with the same random data; int8 outputs are returned as floats for comparison.</summary>
    private static float[] RunEither(bool int8, int seed, OpCode op, int[] xShape, int[] wShape, int[]? biasShape, ConvOptions? options)
    {
        var rng = new Random(seed);
        long xCount = ConvolutionNaive.Count(xShape), wCount = ConvolutionNaive.Count(wShape);
        if (!int8)
        {
            float[] x = ConvolutionRun.RandomFloats(rng, xCount), w = ConvolutionRun.RandomFloats(rng, wCount);
            float[]? bias = biasShape is null ? null : ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(biasShape));
            return ConvolutionRun.Float(op, x, xShape, w, wShape, bias, options, biasShape);
        }

        sbyte[] xq = ConvolutionRun.RandomInt8(rng, xCount), wq = ConvolutionRun.RandomInt8(rng, wCount, -127, 127);
        int[]? bq = biasShape is null ? null : Enumerable.Range(0, (int)ConvolutionNaive.Count(biasShape)).Select(_ => rng.Next(-300, 301)).ToArray();
        return ConvolutionRun.Int8(op, xq, xShape, s_xq, wq, wShape, QuantizationInfo.PerTensor(0.004f, 0), bq, options, s_yq, biasShape)
            .Select(v => (float)v).ToArray();
    }

    [Fact]
    public void Pointwise_conv_equals_dense()
    {
        Check(s_small, p =>
        {
            // Same bytes: OHWI [O, 1, 1, C] is [O, C]; Dense applies to every pixel of [N, H, W, C].
            float[] conv = RunEither(p.Int8, p.Seed, OpCode.Conv, [p.N, p.H, p.W, p.C], [p.O, 1, 1, p.C], [p.O], null);
            float[] dense = RunEither(p.Int8, p.Seed, OpCode.Dense, [p.N, p.H, p.W, p.C], [p.O, p.C], [p.O], null);
            Tolerance.AllClose(dense, conv, $"1x1 conv vs dense {p}", atol: 1e-6f);
        });
    }

    [Fact]
    public void Tiled_with_unit_tile_equals_conv()
    {
        Check(s_small, p =>
        {
            int kh = Math.Min(2, p.H), kw = Math.Min(3, p.W);
            float[] conv = RunEither(p.Int8, p.Seed, OpCode.Conv, [p.N, p.H, p.W, p.C], [p.O, kh, kw, p.C], [p.O], new ConvOptions { Pads = [1, 0, 0, 1] });
            float[] tiled = RunEither(p.Int8, p.Seed, OpCode.TiledConv2D, [p.N, p.H, p.W, p.C], [1, 1, p.O, kh, kw, p.C], [p.O],
                new ConvOptions { Pads = [1, 0, 0, 1], Tile = [1, 1] });
            // Conv runs the optimized kernel Plan chooses (another summation order than the reference TiledConv2D), so fp32 is
            // compared within the kernel tolerance; int8 outputs are integers and must still match exactly.
            Tolerance.AllClose(conv, tiled, $"tiled[1,1] vs conv {p}", atol: p.Int8 ? 0f : 1e-5f);
        });
    }

    [Fact]
    public void Tiled_with_output_sized_tile_equals_locally_connected()
    {
        Check(s_small, p =>
        {
            int kh = Math.Min(2, p.H), kw = 1;
            int outH = p.H - kh + 1, outW = p.W;
            float[] local = RunEither(p.Int8, p.Seed, OpCode.LocallyConnected2D, [p.N, p.H, p.W, p.C], [outH, outW, p.O, kh, kw, p.C], [p.O], null);
            float[] tiled = RunEither(p.Int8, p.Seed, OpCode.TiledConv2D, [p.N, p.H, p.W, p.C], [outH, outW, p.O, kh, kw, p.C], [p.O],
                new ConvOptions { Tile = [outH, outW] });
            Tolerance.AllClose(local, tiled, $"tiled[out] vs locally connected {p}", atol: 0);
        });
    }

    private static readonly Gen<(int Seed, int H, int W, int Groups, int Cg, int Og, int K)> s_grouped =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from h in Gen.Choose(1, 5)
        from w in Gen.Choose(1, 5)
        from groups in Gen.Choose(1, 4)
        from cg in Gen.Choose(1, 3)
        from og in Gen.Choose(1, 3)
        from k in Gen.Choose(1, 3)
        select (seed, h, w, groups, cg, og, k);

    [Fact]
    public void Grouped_conv_equals_concatenated_per_group_convs()
    {
        Check(s_grouped, p =>
        {
            var rng = new Random(p.Seed);
            int c = p.Groups * p.Cg, o = p.Groups * p.Og;
            int[] xShape = [1, p.H, p.W, c], wShape = [o, p.K, p.K, p.Cg];
            float[] x = ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(xShape));
            float[] w = ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(wShape));
            float[] bias = ConvolutionRun.RandomFloats(rng, o);
            var options = new ConvOptions { Group = p.Groups, PadMode = PadMode.SameUpper };
            float[] grouped = ConvolutionRun.Float(OpCode.Conv, x, xShape, w, wShape, bias, options);
            int pixels = grouped.Length / o;
            var expected = new float[grouped.Length];
            int perOutput = p.K * p.K * p.Cg;
            for (int g = 0; g < p.Groups; g++)
            {
                // Slice the group's input channels and output channels, run a plain conv, put its channels back.
                float[] xg = Enumerable.Range(0, p.H * p.W * p.Cg).Select(i => x[(i / p.Cg * c) + (g * p.Cg) + (i % p.Cg)]).ToArray();
                float[] wg = w.Skip(g * p.Og * perOutput).Take(p.Og * perOutput).ToArray();
                float[] yg = ConvolutionRun.Float(OpCode.Conv, xg, [1, p.H, p.W, p.Cg], wg, [p.Og, p.K, p.K, p.Cg],
                    bias.Skip(g * p.Og).Take(p.Og).ToArray(), new ConvOptions { PadMode = PadMode.SameUpper });
                for (int px = 0; px < pixels; px++)
                {
                    for (int j = 0; j < p.Og; j++)
                    {
                        expected[(px * o) + (g * p.Og) + j] = yg[(px * p.Og) + j];
                    }
                }
            }

            Tolerance.AllClose(expected, grouped, $"grouped conv {p}", atol: 1e-6f);
        });
    }

    private static readonly Gen<(int Seed, int H, int W, int C, int O, int K, int Stride, bool PerAxis)> s_quant =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from h in Gen.Choose(1, 5)
        from w in Gen.Choose(1, 5)
        from c in Gen.Choose(1, 6)
        from o in Gen.Choose(1, 4)
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from perAxis in Gen.Elements(false, true)
        select (seed, h, w, c, o, k, stride, perAxis);

    [Fact]
    public void Int8_conv_is_the_quantized_fp32_conv_of_the_dequantized_values_within_one_step()
    {
        Check(s_quant, p =>
        {
            var rng = new Random(p.Seed);
            int[] xShape = [1, p.H, p.W, p.C], wShape = [p.O, p.K, p.K, p.C];
            float sx = (float)(0.01 + (rng.NextDouble() * 0.1));
            int zx = rng.Next(-50, 51);
            float[] sw = Enumerable.Range(0, p.PerAxis ? p.O : 1).Select(_ => (float)(0.001 + (rng.NextDouble() * 0.02))).ToArray();
            float sy = (float)(sx * sw.Average() * Math.Sqrt(p.K * p.K * p.C) * (30 + (rng.NextDouble() * 50)));
            int zy = rng.Next(-30, 31);
            sbyte[] xq = ConvolutionRun.RandomInt8(rng, ConvolutionNaive.Count(xShape));
            sbyte[] wq = ConvolutionRun.RandomInt8(rng, ConvolutionNaive.Count(wShape), -127, 127);
            int[] bq = Enumerable.Range(0, p.O).Select(_ => rng.Next(-1000, 1001)).ToArray();
            var options = new ConvOptions { Strides = [p.Stride, p.Stride], PadMode = PadMode.SameLower };
            QuantizationInfo wInfo = p.PerAxis ? QuantizationInfo.PerAxis(sw, 0) : QuantizationInfo.PerTensor(sw[0], 0);
            sbyte[] y8 = ConvolutionRun.Int8(OpCode.Conv, xq, xShape, QuantizationInfo.PerTensor(sx, zx), wq, wShape, wInfo, bq, options,
                QuantizationInfo.PerTensor(sy, zy));

            long perOutput = ConvolutionNaive.Count(wShape) / p.O;
            float SwOf(long i) => sw[p.PerAxis ? (int)(i / perOutput) : 0];
            float[] xf = xq.Select(v => QuantMath.Dequantize(v, sx, zx)).ToArray();
            float[] wf = wq.Select((v, i) => QuantMath.Dequantize(v, SwOf(i), 0)).ToArray();
            float[] bf = bq.Select((v, o) => (float)(v * (double)sx * sw[p.PerAxis ? o : 0])).ToArray();
            float[] yf = ConvolutionRun.Float(OpCode.Conv, xf, xShape, wf, wShape, bf, options);
            for (int i = 0; i < yf.Length; i++)
            {
                int reference = QuantMath.QuantizeToInt8(yf[i], sy, zy);
                Assert.True(Math.Abs(reference - y8[i]) <= 1, $"{p}: element {i} int8 {y8[i]}, quantized fp32 {reference} (fp32 {yf[i]})");
            }
        });
    }
}
