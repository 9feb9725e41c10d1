using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Quantization;
using EdgeCnn.Runtime.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>
/// FsCheck properties of pooling and softmax: output shapes against a brute-force window count, values against a naive
/// odometer-loop pool written here, and the algebraic relations between the ops.
/// </summary>
public class PoolingPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(100);

    public sealed record Axis(int In, int Kernel, int Stride, int Dilation, int PadBegin, int PadEnd);

    public sealed record PoolCase(Axis[] Axes, int Channels, int Batch, bool Ceil, PadMode Mode, int Seed)
    {
        public int[] InputShape => [Batch, .. Axes.Select(a => a.In), Channels];

        public override string ToString() =>
            $"in {string.Join(',', InputShape)} mode {Mode} ceil {Ceil} seed {Seed} axes " +
            string.Join(" ", Axes.Select(a => $"(in {a.In} k {a.Kernel} s {a.Stride} d {a.Dilation} p {a.PadBegin}/{a.PadEnd})"));
    }

    private static Gen<Axis> AxisGen =>
        from i in Gen.Choose(1, 6)
        from k in Gen.Choose(1, 3)
        from s in Gen.Choose(1, 3)
        from d in Gen.Choose(1, 2)
        from pb in Gen.Choose(0, 2)
        from pe in Gen.Choose(0, 2)
        select new Axis(i, k, s, d, pb, pe);

    private static Gen<PoolCase> CaseGen =>
        from r in Gen.Choose(1, 3)
        from axes in Gen.ArrayOf(AxisGen, r)
        from c in Gen.Choose(1, 3)
        from n in Gen.Choose(1, 2)
        from ceil in Gen.Elements(false, true)
        from mode in Gen.Frequency((5, Gen.Constant(PadMode.Explicit)), (1, Gen.Constant(PadMode.SameUpper)),
            (1, Gen.Constant(PadMode.SameLower)), (1, Gen.Constant(PadMode.Valid)))
        from seed in Gen.Choose(0, 1_000_000)
        select new PoolCase(axes, c, n, ceil, mode, seed);

    /// <summary>Output size and resolved pads of one axis by counting windows one at a time; -1 when no window fits.</summary>
    private static (int Out, int Begin, int End) BruteForceAxis(Axis a, PadMode mode, bool ceil)
    {
        int eff = ((a.Kernel - 1) * a.Dilation) + 1;
        if (mode is PadMode.SameUpper or PadMode.SameLower)
        {
            int outSize = 0;
            while (outSize * a.Stride < a.In)
            {
                outSize++; // windows start at every stride step inside the input: ceil(in / stride)
            }

            int total = Math.Max(0, ((outSize - 1) * a.Stride) + eff - a.In);
            int small = total / 2;
            return mode == PadMode.SameUpper ? (outSize, small, total - small) : (outSize, total - small, small);
        }

        int pb = mode == PadMode.Valid ? 0 : a.PadBegin, pe = mode == PadMode.Valid ? 0 : a.PadEnd;
        if (pb >= eff || pe >= eff)
        {
            return (-1, pb, pe); // rejected: a window could lie entirely in padding
        }

        bool useCeil = ceil && mode == PadMode.Explicit;
        int padded = a.In + pb + pe, count = 0;
        for (int o = 0; o < 100; o++)
        {
            int start = o * a.Stride; // in padded coordinates
            bool fits = start + eff <= padded;
            // ceil: a partial window counts when it starts inside input or begin pads and the previous one did not reach the end.
            bool partial = useCeil && start < a.In + pb && (o == 0 || start - a.Stride + eff < padded);
            if (fits || partial)
            {
                count++;
            }
        }

        return (count == 0 || eff > padded ? -1 : count, pb, pe);
    }

    /// <summary>kind: 0 max, 1 average (in-input taps), 2 average (taps inside the pads), 3 Lp.</summary>
    private static double[] NaivePool(PoolCase pc, double[] x, int kind, int p, int[] outDims, int[] pb, int[] pe)
    {
        int r = pc.Axes.Length, c = pc.Channels;
        int inSpatial = pc.Axes.Aggregate(1, (s, a) => s * a.In), outSpatial = outDims.Aggregate(1, (s, d) => s * d);
        int taps = pc.Axes.Aggregate(1, (s, a) => s * a.Kernel);
        var y = new double[pc.Batch * outSpatial * c];
        for (int n = 0; n < pc.Batch; n++)
        {
            for (int oi = 0; oi < outSpatial; oi++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    double max = double.NegativeInfinity, sum = 0;
                    int valid = 0, inPads = 0;
                    for (int ti = 0; ti < taps; ti++)
                    {
                        bool inside = true, withinPads = true;
                        int flat = 0;
                        int orem = oi, trem = ti;
                        for (int a = r - 1; a >= 0; a--)
                        {
                            int o = orem % outDims[a], t = trem % pc.Axes[a].Kernel;
                            orem /= outDims[a];
                            trem /= pc.Axes[a].Kernel;
                            int pos = (o * pc.Axes[a].Stride) - pb[a] + (t * pc.Axes[a].Dilation);
                            inside &= pos >= 0 && pos < pc.Axes[a].In;
                            withinPads &= pos >= -pb[a] && pos < pc.Axes[a].In + pe[a];
                            flat += pos * pc.Axes.Skip(a + 1).Aggregate(1, (s, ax) => s * ax.In);
                        }

                        inPads += withinPads ? 1 : 0;
                        if (inside)
                        {
                            double v = x[(((n * inSpatial) + flat) * c) + ch];
                            valid++;
                            max = Math.Max(max, v);
                            sum += kind == 3 ? Math.Pow(Math.Abs(v), p) : v;
                        }
                    }

                    int divisor = kind == 2 ? inPads : valid;
                    y[(((n * outSpatial) + oi) * c) + ch] = valid == 0 ? 0 : kind switch
                    {
                        0 => max,
                        3 => Math.Pow(sum, 1.0 / p),
                        _ => sum / divisor,
                    };
                }
            }
        }

        return y;
    }

    private static TensorRef AddPool(ModelBuilder b, TensorRef x, PoolCase pc, int kind, int p, QuantizationInfo? q = null)
    {
        int[] k = pc.Axes.Select(a => a.Kernel).ToArray(), s = pc.Axes.Select(a => a.Stride).ToArray();
        int[] d = pc.Axes.Select(a => a.Dilation).ToArray();
        int[]? pads = pc.Mode == PadMode.Explicit ? [.. pc.Axes.Select(a => a.PadBegin), .. pc.Axes.Select(a => a.PadEnd)] : null;
        return kind switch
        {
            0 => b.MaxPool(x, k, s, pads, d, pc.Mode, pc.Ceil, q),
            3 => b.LpPool(x, k, p, s, pads, pc.Mode, pc.Ceil, d, q),
            _ => b.AveragePool(x, k, s, pads, kind == 2, pc.Mode, pc.Ceil, d, q),
        };
    }

    private static float[] RandomData(int count, int seed, float range)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2) - 1) * range).ToArray();
    }

    [Fact]
    public void Fp32_pool_shapes_and_values_match_brute_force()
    {
        Check.One(s_config, Prop.ForAll(Arb.From(CaseGen), Gen.Choose(0, 3).ToArbitrary(), Gen.Choose(1, 3).ToArbitrary(),
            (pc, kind, p) =>
            {
                var axes = pc.Axes.Select(a => BruteForceAxis(a, pc.Mode, pc.Ceil)).ToArray();
                var b = new ModelBuilder();
                TensorRef x = b.Input("x", DataType.Float32, pc.InputShape);
                if (axes.Any(a => a.Out < 1))
                {
                    Assert.Throws<OpValidationException>(() => AddPool(b, x, pc, kind, p));
                    return;
                }

                TensorRef y = AddPool(b, x, pc, kind, p);
                int[] outDims = axes.Select(a => a.Out).ToArray();
                Assert.Equal([pc.Batch, .. outDims, pc.Channels], b.Shape(y));
                b.Output(y);
                float[] data = RandomData((int)ShapeMath.ElementCount(pc.InputShape), pc.Seed, 4f);
                double[] expected = NaivePool(pc, data.Select(v => (double)v).ToArray(), kind, p, outDims,
                    axes.Select(a => a.Begin).ToArray(), axes.Select(a => a.End).ToArray());
                Tolerance.AllClose(expected.Select(v => (float)v).ToArray(), Run.Float(b, data), $"kind {kind} p {p} {pc}", 1e-4f, 1e-5f);
            }));
    }

    [Fact]
    public void Max_pool_is_at_least_average_pool()
    {
        Check.One(s_config, Prop.ForAll(Arb.From(CaseGen.Where(pc => pc.Axes.All(a => BruteForceAxis(a, pc.Mode, pc.Ceil).Out > 0))),
            pc =>
            {
                float[] data = RandomData((int)ShapeMath.ElementCount(pc.InputShape), pc.Seed, 10f);
                float[] Pool(int kind)
                {
                    var b = new ModelBuilder();
                    b.Output(AddPool(b, b.Input("x", DataType.Float32, pc.InputShape), pc, kind, 2));
                    return Run.Float(b, data);
                }

                float[] max = Pool(0), avg = Pool(1);
                for (int i = 0; i < max.Length; i++)
                {
                    Assert.True(max[i] >= avg[i] - 1e-5f, $"{pc}: element {i} max {max[i]} < avg {avg[i]}");
                }
            }));
    }

    [Fact]
    public void Global_pools_equal_window_pools_with_the_full_kernel()
    {
        Gen<int[]> shapes = from r in Gen.Choose(1, 3)
                            from dims in Gen.ArrayOf(Gen.Choose(1, 5), r + 2)
                            select dims;
        Check.One(s_config, Prop.ForAll(Arb.From(shapes), Gen.Choose(0, 1000).ToArbitrary(), (shape, seed) =>
        {
            float[] data = RandomData((int)ShapeMath.ElementCount(shape), seed, 10f);
            int[] kernel = shape[1..^1];
            float[] Pool(Func<ModelBuilder, TensorRef, TensorRef> op)
            {
                var b = new ModelBuilder();
                b.Output(op(b, b.Input("x", DataType.Float32, shape)));
                return Run.Float(b, data);
            }

            string at = $"shape {string.Join(',', shape)} seed {seed}";
            Tolerance.AllClose(Pool((b, t) => b.AveragePool(t, kernel)), Pool((b, t) => b.GlobalAveragePool(t)), "gap " + at);
            Tolerance.AllClose(Pool((b, t) => b.MaxPool(t, kernel)), Pool((b, t) => b.GlobalMaxPool(t)), "gmp " + at);
        }));
    }

    [Fact]
    public void Int8_average_pool_is_within_one_step_of_the_quantized_real_average()
    {
        Gen<(PoolCase, float, int, float, int, bool)> gen =
            from pc in CaseGen.Where(pc => pc.Axes.All(a => BruteForceAxis(a, pc.Mode, pc.Ceil).Out > 0))
            from sx in Gen.Elements(0.01f, 0.05f, 0.3f, 1f)
            from zx in Gen.Choose(-20, 20)
            from sy in Gen.Elements(0.01f, 0.04f, 0.25f, 2f)
            from zy in Gen.Choose(-20, 20)
            from incl in Gen.Elements(false, true)
            select (pc, sx, zx, sy, zy, incl);
        Check.One(s_config, Prop.ForAll(Arb.From(gen), t =>
        {
            (PoolCase pc, float sx, int zx, float sy, int zy, bool incl) = t;
            var rng = new Random(pc.Seed);
            sbyte[] q = Enumerable.Range(0, (int)ShapeMath.ElementCount(pc.InputShape)).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, pc.InputShape, QuantizationInfo.PerTensor(sx, zx));
            b.Output(AddPool(b, x, pc, incl ? 2 : 1, 2, QuantizationInfo.PerTensor(sy, zy)));
            sbyte[] y = Run.Int8(b, q);
            var axes = pc.Axes.Select(a => BruteForceAxis(a, pc.Mode, pc.Ceil)).ToArray();
            double[] real = NaivePool(pc, q.Select(v => (double)sx * (v - zx)).ToArray(), incl ? 2 : 1, 2, axes.Select(a => a.Out).ToArray(),
                axes.Select(a => a.Begin).ToArray(), axes.Select(a => a.End).ToArray());
            for (int i = 0; i < y.Length; i++)
            {
                int e = QuantMath.QuantizeToInt8((float)real[i], sy, zy);
                Assert.True(Math.Abs(y[i] - e) <= 1, $"s_x {sx} z_x {zx} s_y {sy} z_y {zy} incl {incl} {pc}: element {i} is {y[i]}, expected {e} +- 1");
            }
        }));
    }

    [Fact]
    public void Int8_max_pool_is_exactly_the_quantized_real_max()
    {
        // Max commutes with the monotonic dequantize; with M = s_x / s_y = 2 the requantization is exact in fixed point.
        Check.One(s_config, Prop.ForAll(Arb.From(CaseGen.Where(pc => pc.Axes.All(a => BruteForceAxis(a, pc.Mode, pc.Ceil).Out > 0))), pc =>
        {
            var rng = new Random(pc.Seed);
            sbyte[] q = Enumerable.Range(0, (int)ShapeMath.ElementCount(pc.InputShape)).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, pc.InputShape, QuantizationInfo.PerTensor(0.5f, 3));
            b.Output(AddPool(b, x, pc, 0, 2, QuantizationInfo.PerTensor(0.25f, -7)));
            sbyte[] y = Run.Int8(b, q);
            var axes = pc.Axes.Select(a => BruteForceAxis(a, pc.Mode, pc.Ceil)).ToArray();
            double[] real = NaivePool(pc, q.Select(v => 0.5 * (v - 3)).ToArray(), 0, 2, axes.Select(a => a.Out).ToArray(),
                axes.Select(a => a.Begin).ToArray(), axes.Select(a => a.End).ToArray());
            sbyte[] expected = real.Select(v => QuantMath.QuantizeToInt8((float)v, 0.25f, -7)).ToArray();
            Tolerance.Equal(expected, y, $"s8 max {pc}");
        }));
    }

    [Fact]
    public void Softmax_rows_sum_to_one()
    {
        Gen<(int[], int, int)> gen = from rank in Gen.Choose(1, 4)
                                     from shape in Gen.ArrayOf(Gen.Choose(1, 4), rank)
                                     from axis in Gen.Choose(-rank, rank - 1)
                                     from seed in Gen.Choose(0, 1000)
                                     select (shape, axis, seed);
        Check.One(s_config, Prop.ForAll(Arb.From(gen), t =>
        {
            (int[] shape, int axis, int seed) = t;
            float[] data = RandomData((int)ShapeMath.ElementCount(shape), seed, 30f);
            var b = new ModelBuilder();
            b.Output(b.Softmax(b.Input("x", DataType.Float32, shape), axis));
            float[] y = Run.Float(b, data);
            // Every element is a probability; each row (first element of the row: axis coordinate 0) sums to 1.
            int a = axis < 0 ? axis + shape.Length : axis;
            int inner = shape.Skip(a + 1).Aggregate(1, (s, d) => s * d), len = shape[a];
            for (int i = 0; i < y.Length; i++)
            {
                Assert.InRange(y[i], 0f, 1f);
                if (i / inner % len == 0)
                {
                    float sum = 0;
                    for (int k = 0; k < len; k++)
                    {
                        sum += y[i + (k * inner)];
                    }

                    Assert.True(MathF.Abs(sum - 1f) <= 1e-5f, $"shape {string.Join(',', shape)} axis {axis} seed {seed}: row at {i} sums to {sum}");
                }
            }
        }));
    }
}
