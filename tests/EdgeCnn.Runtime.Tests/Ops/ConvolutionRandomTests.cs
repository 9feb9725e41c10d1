using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>
/// Seeded random cases of every op, fp32 and int8, against the independent formulas in ConvolutionNaive. Each failure
/// message carries the full case so it can be reproduced.
/// </summary>
public class ConvolutionRandomTests
{
    private const int Cases = 60;

    /// <summary>A random Conv / ConvTranspose case; null when its geometry is invalid (the builder rejected it).</summary>
    private sealed record Case(int[] XShape, int[] WShape, int[] Strides, int[] Dilations, int[] Pads, PadMode Mode, int Group,
        int[] OutputPadding, FusedActivation Activation, bool Bias, bool PerAxis)
    {
        public ConvOptions Options(bool transposed) => new()
        {
            Strides = Strides,
            Dilations = Dilations,
            Pads = transposed || Mode == PadMode.Explicit ? Pads : null,
            PadMode = transposed ? PadMode.Explicit : Mode,
            Group = Group,
            OutputPadding = transposed ? OutputPadding : null,
            Activation = Activation,
            ActivationMin = -0.5f,
            ActivationMax = 0.75f,
        };

        public override string ToString() =>
            $"x{ShapeMath.Format(XShape)} w{ShapeMath.Format(WShape)} s{ShapeMath.Format(Strides)} d{ShapeMath.Format(Dilations)} " +
            $"pads{ShapeMath.Format(Pads)} {Mode} group {Group} outpad{ShapeMath.Format(OutputPadding)} {Activation} bias {Bias} perAxis {PerAxis}";
    }

    private static Case RandomCase(Random rng, bool transposed, bool int8)
    {
        int r = rng.Next(1, 4);
        int group = rng.Next(1, 4), cg = rng.Next(1, 4), og = rng.Next(1, 3);
        int[] spatial = Enumerable.Range(0, r).Select(_ => rng.Next(1, 6)).ToArray();
        int[] k = Enumerable.Range(0, r).Select(_ => rng.Next(1, 4)).ToArray();
        int[] s = Enumerable.Range(0, r).Select(_ => rng.Next(1, 4)).ToArray();
        int[] d = Enumerable.Range(0, r).Select(_ => rng.Next(1, 3)).ToArray();
        int[] pads = Enumerable.Range(0, 2 * r).Select(_ => rng.Next(0, 3)).ToArray();
        int[] outPad = Enumerable.Range(0, r).Select(i => rng.Next(0, Math.Max(s[i], d[i]))).ToArray();
        var mode = (PadMode)rng.Next(0, 4);
        FusedActivation[] kinds = int8
            ? [FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.Clip]
            : [FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.Clip, FusedActivation.LeakyRelu, FusedActivation.HardSwish];
        return new Case([rng.Next(1, 3), .. spatial, group * cg], [group * og, .. k, cg], s, d, pads, mode, group, outPad,
            kinds[rng.Next(kinds.Length)], rng.Next(2) == 1, rng.Next(2) == 1);
    }

    /// <summary>The begin pads the test expects: explicit, or ONNX SAME (odd pad at the end for upper, begin for lower), or 0.</summary>
    private static int[] PadBegin(Case c, int[] outSpatial)
    {
        int r = c.XShape.Length - 2;
        var begin = new int[r];
        for (int i = 0; i < r; i++)
        {
            int total = Math.Max(0, ((outSpatial[i] - 1) * c.Strides[i]) + ((c.WShape[i + 1] - 1) * c.Dilations[i]) + 1 - c.XShape[i + 1]);
            begin[i] = c.Mode switch
            {
                PadMode.Explicit => c.Pads[i],
                PadMode.SameUpper => total / 2,
                PadMode.SameLower => total - (total / 2),
                _ => 0,
            };
        }

        return begin;
    }

    private static float ApplyActivation(double v, FusedActivation a) => a switch
    {
        FusedActivation.Relu => (float)Math.Max(v, 0),
        FusedActivation.Relu6 => (float)Math.Clamp(v, 0, 6),
        FusedActivation.Clip => (float)Math.Clamp(v, -0.5, 0.75),
        FusedActivation.LeakyRelu => (float)(v >= 0 ? v : 0.01 * v),
        FusedActivation.HardSwish => (float)(v * Math.Clamp((v / 6) + 0.5, 0, 1)),
        _ => (float)v,
    };

    /// <summary>The int8 clamp of an activation, written from QuantizeLinear: round half to even, then saturate.</summary>
    private static (int Lo, int Hi) Clamp(FusedActivation a, float sy, int zy)
    {
        int Q(double v) => Math.Clamp((int)Math.Round(v / sy, MidpointRounding.ToEven) + zy, -128, 127);
        return a switch
        {
            FusedActivation.Relu => (Q(0), 127),
            FusedActivation.Relu6 => (Q(0), Q(6)),
            FusedActivation.Clip => (Q(-0.5), Q(0.75)),
            _ => (-128, 127),
        };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float_conv_and_conv_transpose_match_the_naive_formula(bool transposed)
    {
        var rng = new Random(transposed ? 11 : 7);
        OpCode op = transposed ? OpCode.ConvTranspose : OpCode.Conv;
        int done = 0;
        while (done < Cases)
        {
            Case c = RandomCase(rng, transposed, int8: false);
            ModelBuilder b;
            float[] w = ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(c.WShape));
            float[]? bias = c.Bias ? ConvolutionRun.RandomFloats(rng, c.WShape[0]) : null;
            try
            {
                b = ConvolutionRun.BuildFloat(op, c.XShape, w, c.WShape, bias, c.Options(transposed));
            }
            catch (OpValidationException)
            {
                continue; // geometry gives an empty output: not a case
            }

            float[] x = ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(c.XShape));
            int[] yShape = b.Shape(new TensorRef(b.Definition.Outputs[0]));
            int[] outSpatial = yShape[1..^1];
            double[] acc = transposed
                ? ConvolutionNaive.ConvTransposeAcc(c.XShape, i => x[i], c.WShape, i => w[i], bias is null ? null : o => bias[o],
                    c.Strides, c.Dilations, c.Pads[..(c.XShape.Length - 2)], outSpatial, c.Group)
                : ConvolutionNaive.ConvAcc(c.XShape, i => x[i], c.WShape, i => w[i], bias is null ? null : o => bias[o],
                    c.Strides, c.Dilations, PadBegin(c, outSpatial), outSpatial, c.Group);
            float[] expected = acc.Select(v => ApplyActivation(v, c.Activation)).ToArray();
            Tolerance.AllClose(expected, Run.Float(b, x), $"{op} {c}", atol: 1e-5f);
            done++;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Int8_conv_and_conv_transpose_match_the_integer_formula(bool transposed)
    {
        var rng = new Random(transposed ? 13 : 17);
        OpCode op = transposed ? OpCode.ConvTranspose : OpCode.Conv;
        int done = 0, inside = 0, total = 0;
        var distinct = new HashSet<sbyte>();
        while (done < Cases)
        {
            Case c = RandomCase(rng, transposed, int8: true);
            int outC = c.WShape[0];
            float sx = (float)(0.01 + (rng.NextDouble() * 0.05));
            int zx = rng.Next(-30, 31);
            float[] sw = Enumerable.Range(0, c.PerAxis ? outC : 1).Select(_ => (float)(0.002 + (rng.NextDouble() * 0.02))).ToArray();
            long kTerms = ConvolutionNaive.Count(c.WShape) / outC;
            float sy = (float)(sx * sw.Average() * Math.Sqrt(kTerms) * (20 + (rng.NextDouble() * 60)));
            int zy = rng.Next(-20, 21);
            sbyte[] w = ConvolutionRun.RandomInt8(rng, ConvolutionNaive.Count(c.WShape), -127, 127);
            int[]? bias = c.Bias ? Enumerable.Range(0, outC).Select(_ => rng.Next(-2000, 2001)).ToArray() : null;
            QuantizationInfo wq = c.PerAxis ? QuantizationInfo.PerAxis(sw, 0) : QuantizationInfo.PerTensor(sw[0], 0);
            ModelBuilder b;
            try
            {
                b = ConvolutionRun.BuildInt8(op, c.XShape, QuantizationInfo.PerTensor(sx, zx), w, c.WShape, wq, bias, c.Options(transposed),
                    QuantizationInfo.PerTensor(sy, zy));
            }
            catch (OpValidationException)
            {
                continue;
            }

            sbyte[] x = ConvolutionRun.RandomInt8(rng, ConvolutionNaive.Count(c.XShape));
            int[] outSpatial = b.Shape(new TensorRef(b.Definition.Outputs[0]))[1..^1];
            double[] acc = transposed
                ? ConvolutionNaive.ConvTransposeAcc(c.XShape, i => x[i] - zx, c.WShape, i => w[i], bias is null ? null : o => bias[o],
                    c.Strides, c.Dilations, c.Pads[..(c.XShape.Length - 2)], outSpatial, c.Group)
                : ConvolutionNaive.ConvAcc(c.XShape, i => x[i] - zx, c.WShape, i => w[i], bias is null ? null : o => bias[o],
                    c.Strides, c.Dilations, PadBegin(c, outSpatial), outSpatial, c.Group);
            (int lo, int hi) = Clamp(c.Activation, sy, zy);
            sbyte[] expected = ConvolutionNaive.Requantize(acc, outC, sx, sw, sy, zy, lo, hi);
            Tolerance.Equal(expected, Run.Int8(b, x), $"s8 {op} {c} sx {sx} zx {zx} sy {sy} zy {zy}");
            inside += expected.Count(v => v > -128 && v < 127);
            total += expected.Length;
            distinct.UnionWith(expected);
            done++;
        }

        // The cases must exercise the requantization, not just saturate.
        Assert.True(inside > total * 0.8 && distinct.Count > 50, $"{inside} of {total} outputs unsaturated, {distinct.Count} distinct values");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Tiled_and_locally_connected_match_the_naive_formula(bool locallyConnected, bool int8)
    {
        var rng = new Random((locallyConnected ? 100 : 200) + (int8 ? 1 : 0));
        OpCode op = locallyConnected ? OpCode.LocallyConnected2D : OpCode.TiledConv2D;
        for (int done = 0; done < Cases / 2; done++)
        {
            int n = rng.Next(1, 3), h = rng.Next(1, 6), wd = rng.Next(1, 6), c = rng.Next(1, 4), o = rng.Next(1, 4);
            int kh = rng.Next(1, Math.Min(h, 3) + 1), kw = rng.Next(1, Math.Min(wd, 3) + 1);
            int[] strides = [rng.Next(1, 3), rng.Next(1, 3)];
            int[] pads = [rng.Next(0, 2), rng.Next(0, 2), rng.Next(0, 2), rng.Next(0, 2)];
            int outH = ((h + pads[0] + pads[2] - kh) / strides[0]) + 1, outW = ((wd + pads[1] + pads[3] - kw) / strides[1]) + 1;
            int[] tile = locallyConnected ? [outH, outW] : [rng.Next(1, outH + 1), rng.Next(1, outW + 1)];
            bool perPositionBias = locallyConnected && rng.Next(2) == 1;
            bool hasBias = rng.Next(3) > 0;
            int[] xShape = [n, h, wd, c], wShape = [tile[0], tile[1], o, kh, kw, c];
            int[] biasShape = perPositionBias ? [outH, outW, o] : [o];
            var options = new ConvOptions { Strides = strides, Pads = pads, Tile = locallyConnected ? null : tile };
            string what = $"{op} x{ShapeMath.Format(xShape)} w{ShapeMath.Format(wShape)} s{ShapeMath.Format(strides)} pads{ShapeMath.Format(pads)} bias {hasBias}/{perPositionBias}";
            int BiasIndex(int oy, int ox, int oc) => perPositionBias ? (((oy * outW) + ox) * o) + oc : oc;
            if (!int8)
            {
                float[] w = ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(wShape));
                float[] x = ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(xShape));
                float[]? bias = hasBias ? ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(biasShape)) : null;
                double[] acc = ConvolutionNaive.TiledAcc(xShape, i => x[i], wShape, i => w[i],
                    bias is null ? null : (oy, ox, oc) => bias[BiasIndex(oy, ox, oc)], strides, [1, 1], pads[..2], outH, outW);
                float[] y = ConvolutionRun.Float(op, x, xShape, w, wShape, bias, options, biasShape);
                Tolerance.AllClose(ConvolutionNaive.ToFloat(acc), y, what, atol: 1e-5f);
            }
            else
            {
                sbyte[] w = ConvolutionRun.RandomInt8(rng, ConvolutionNaive.Count(wShape), -127, 127);
                sbyte[] x = ConvolutionRun.RandomInt8(rng, ConvolutionNaive.Count(xShape));
                int[]? bias = hasBias ? Enumerable.Range(0, (int)ConvolutionNaive.Count(biasShape)).Select(_ => rng.Next(-500, 501)).ToArray() : null;
                int zx = rng.Next(-10, 11);
                float[] sw = Enumerable.Range(0, o).Select(_ => (float)(0.005 + (rng.NextDouble() * 0.01))).ToArray();
                double[] acc = ConvolutionNaive.TiledAcc(xShape, i => x[i] - zx, wShape, i => w[i],
                    bias is null ? null : (oy, ox, oc) => bias[BiasIndex(oy, ox, oc)], strides, [1, 1], pads[..2], outH, outW);
                float sy = 0.02f * (float)Math.Sqrt(kh * kw * c);
                sbyte[] y = ConvolutionRun.Int8(op, x, xShape, QuantizationInfo.PerTensor(0.05f, zx), w, wShape, QuantizationInfo.PerAxis(sw, 2),
                    bias, options, QuantizationInfo.PerTensor(sy, 3), biasShape);
                Tolerance.Equal(ConvolutionNaive.Requantize(acc, o, 0.05f, sw, sy, 3), y, what);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dense_matches_the_naive_formula(bool int8)
    {
        var rng = new Random(int8 ? 5 : 3);
        for (int done = 0; done < Cases; done++)
        {
            int[] lead = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => rng.Next(1, 4)).ToArray();
            int k = rng.Next(1, 20), o = rng.Next(1, 6);
            int rows = (int)ConvolutionNaive.Count(lead);
            int[] xShape = [.. lead, k];
            bool hasBias = rng.Next(2) == 1;
            string what = $"dense x{ShapeMath.Format(xShape)} o {o} bias {hasBias}";
            if (!int8)
            {
                float[] x = ConvolutionRun.RandomFloats(rng, rows * k), w = ConvolutionRun.RandomFloats(rng, o * k);
                float[]? bias = hasBias ? ConvolutionRun.RandomFloats(rng, o) : null;
                double[] acc = ConvolutionNaive.DenseAcc(rows, k, o, i => x[i], i => w[i], bias is null ? null : j => bias[j]);
                Tolerance.AllClose(ConvolutionNaive.ToFloat(acc), ConvolutionRun.Float(OpCode.Dense, x, xShape, w, [o, k], bias), what, atol: 1e-5f);
            }
            else
            {
                sbyte[] x = ConvolutionRun.RandomInt8(rng, rows * k), w = ConvolutionRun.RandomInt8(rng, o * k, -127, 127);
                int[]? bias = hasBias ? Enumerable.Range(0, o).Select(_ => rng.Next(-3000, 3001)).ToArray() : null;
                int zx = rng.Next(-128, 128);
                float[] sw = [(float)(0.001 + (rng.NextDouble() * 0.01))];
                float sy = (float)(0.1 * sw[0] * Math.Sqrt(k) * 30);
                double[] acc = ConvolutionNaive.DenseAcc(rows, k, o, i => x[i] - zx, i => w[i], bias is null ? null : j => bias[j]);
                sbyte[] y = ConvolutionRun.Int8(OpCode.Dense, x, xShape, QuantizationInfo.PerTensor(0.1f, zx), w, [o, k],
                    QuantizationInfo.PerTensor(sw[0], 0), bias, null, QuantizationInfo.PerTensor(sy, -5));
                Tolerance.Equal(ConvolutionNaive.Requantize(acc, o, 0.1f, sw, sy, -5), y, what);
            }
        }
    }
}
