using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Quantization;
using EdgeCnn.Runtime.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>Properties of the binary element-wise ops over random small shapes, values and quantizations.</summary>
public class ElementwisePropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(100);

    private static Gen<int[]> ShapeGen => Gen.Choose(1, 4).SelectMany(rank => Gen.Choose(1, 3).ArrayOf(rank));

    [Fact]
    public void Output_shape_and_values_follow_the_numpy_rule()
    {
        Prop.ForAll(Arb.From(Gen.Zip(ShapeGen, ShapeGen)), shapes =>
        {
            (int[] sa, int[] sb) = shapes;
            int[]? expected = NumpyShape(sa, sb);
            var m = new ModelBuilder();
            TensorRef a = m.Input("a", DataType.Float32, sa);
            TensorRef b = m.Input("b", DataType.Float32, sb);
            if (expected is null)
            {
                Assert.Throws<OpValidationException>(() => m.Add(a, b));
                return;
            }

            TensorRef y = m.Add(a, b);
            Assert.Equal(expected, m.Shape(y));
            m.Output(y);
            float[] va = Enumerable.Range(0, Count(sa)).Select(i => (float)i).ToArray();
            float[] vb = Enumerable.Range(0, Count(sb)).Select(i => 1000f * (i + 1)).ToArray();
            float[] got = Run.Float(m, va, vb);
            // Brute force: for every output multi-index, pick each input's element by clamping broadcast axes to 0.
            int[] index = new int[expected.Length];
            for (int o = 0; o < got.Length; o++)
            {
                int rem = o;
                for (int d = expected.Length - 1; d >= 0; d--)
                {
                    index[d] = rem % expected[d];
                    rem /= expected[d];
                }

                float want = va[Flat(sa, index)] + vb[Flat(sb, index)];
                Assert.True(want == got[o], $"a {ShapeMath.Format(sa)} b {ShapeMath.Format(sb)}: y[{o}] = {got[o]}, expected {want}");
            }
        }).Check(s_config);
    }

    [Fact]
    public void Add_is_commutative_in_fp32_and_int8()
    {
        Gen<(int[] A, int[] B, int Seed, bool Int8)> gen =
            from sa in ShapeGen
            from sb in ShapeGen
            where NumpyShape(sa, sb) is not null
            from seed in Gen.Choose(0, 1_000_000)
            from int8 in Gen.Elements(false, true)
            select (sa, sb, seed, int8);
        Prop.ForAll(Arb.From(gen), c =>
        {
            var rng = new Random(c.Seed);
            if (!c.Int8)
            {
                float[] va = RandomFloats(rng, Count(c.A)), vb = RandomFloats(rng, Count(c.B));
                Assert.Equal(Run.Float(AddModel(c.A, c.B, DataType.Float32, null, null, null), va, vb),
                    Run.Float(AddModel(c.B, c.A, DataType.Float32, null, null, null), vb, va));
                return;
            }

            sbyte[] qa = RandomBytes(rng, Count(c.A)), qb = RandomBytes(rng, Count(c.B));
            QuantizationInfo ia = RandomQuant(rng), ib = RandomQuant(rng), iy = RandomQuant(rng);
            Assert.Equal(Run.Int8(AddModel(c.A, c.B, DataType.Int8, ia, ib, iy), qa, qb),
                Run.Int8(AddModel(c.B, c.A, DataType.Int8, ib, ia, iy), qb, qa));
        }).Check(s_config);
    }

    [Fact]
    public void Int8_add_and_mul_are_within_one_step_of_the_requantized_real_result()
    {
        Gen<(int Seed, bool Mul)> gen = Gen.Zip(Gen.Choose(0, 1_000_000), Gen.Elements(false, true));
        Prop.ForAll(Arb.From(gen), c =>
        {
            var rng = new Random(c.Seed);
            QuantizationInfo ia = RandomQuant(rng), ib = RandomQuant(rng), iy = RandomQuant(rng);
            sbyte[] a = RandomBytes(rng, 64), b = RandomBytes(rng, 64);
            var m = new ModelBuilder();
            TensorRef ta = m.Input("a", DataType.Int8, [64], ia);
            TensorRef tb = m.Input("b", DataType.Int8, [64], ib);
            m.Output(c.Mul ? m.Mul(ta, tb, iy) : m.Add(ta, tb, iy));
            sbyte[] y = Run.Int8(m, a, b);
            for (int i = 0; i < 64; i++)
            {
                double ra = (double)ia.Scale * (a[i] - ia.ZeroPoint), rb = (double)ib.Scale * (b[i] - ib.ZeroPoint);
                double real = c.Mul ? ra * rb : ra + rb;
                int want = (int)Math.Clamp(Math.Round(real / iy.Scale) + iy.ZeroPoint, -128, 127);
                Assert.True(Math.Abs(want - y[i]) <= 1,
                    $"{(c.Mul ? "mul" : "add")} a {a[i]} (s {ia.Scale} z {ia.ZeroPoint}) b {b[i]} (s {ib.Scale} z {ib.ZeroPoint}) "
                    + $"-> {y[i]}, real {real} -> {want} (s_y {iy.Scale} z_y {iy.ZeroPoint})");
            }
        }).Check(s_config);
    }

    [Fact]
    public void Int8_div_is_exactly_the_fp32_quantization_of_the_dequantized_quotient()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, 1_000_000)), seed =>
        {
            var rng = new Random(seed);
            QuantizationInfo ia = RandomQuant(rng), ib = RandomQuant(rng), iy = RandomQuant(rng);
            sbyte[] a = RandomBytes(rng, 32), b = RandomBytes(rng, 32);
            var m = new ModelBuilder();
            m.Output(m.Div(m.Input("a", DataType.Int8, [32], ia), m.Input("b", DataType.Int8, [32], ib), iy));
            sbyte[] y = Run.Int8(m, a, b);
            for (int i = 0; i < 32; i++)
            {
                float q = ((a[i] - ia.ZeroPoint) * ia.Scale) / ((b[i] - ib.ZeroPoint) * ib.Scale);
                Assert.Equal(QuantMath.QuantizeToInt8(q, iy.Scale, iy.ZeroPoint), y[i]);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
    }

    private static ModelBuilder AddModel(int[] sa, int[] sb, DataType type, QuantizationInfo? qa, QuantizationInfo? qb, QuantizationInfo? qy)
    {
        var m = new ModelBuilder();
        TensorRef a = m.Input("a", type, sa, qa);
        TensorRef b = m.Input("b", type, sb, qb);
        m.Output(m.Add(a, b, qy));
        return m;
    }

    /// <summary>numpy's rule, brute force: pad with leading 1s; per axis the dims other than 1 must all agree.</summary>
    private static int[]? NumpyShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        int[] pa = [.. Enumerable.Repeat(1, rank - a.Length), .. a];
        int[] pb = [.. Enumerable.Repeat(1, rank - b.Length), .. b];
        var shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int[] notOne = new[] { pa[d], pb[d] }.Where(x => x != 1).Distinct().ToArray();
            if (notOne.Length > 1)
            {
                return null;
            }

            shape[d] = notOne.Length == 0 ? 1 : notOne[0];
        }

        return shape;
    }

    /// <summary>Row-major offset in 'shape' of the output index (right-aligned, broadcast axes read index 0).</summary>
    private static int Flat(int[] shape, int[] outIndex)
    {
        int offset = 0, lead = outIndex.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++)
        {
            offset = (offset * shape[d]) + (shape[d] == 1 ? 0 : outIndex[lead + d]);
        }

        return offset;
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (p, d) => p * d);

    private static float[] RandomFloats(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 20) - 10)).ToArray();

    private static sbyte[] RandomBytes(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();

    /// <summary>Scales from 0.005 to 1 (so two inputs' scales differ by at most 200x), any int8 zero point.</summary>
    private static QuantizationInfo RandomQuant(Random rng) =>
        QuantizationInfo.PerTensor((float)(0.005 + (rng.NextDouble() * 0.995)), rng.Next(-128, 128));
}
