using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>
/// int8 Add/Sub/Mul/Div: hand-worked fixed-point examples, and an exhaustive comparison of every (a, b) pair against the
/// TFLite integer formulas written out independently here (exact 64-bit arithmetic instead of FixedPoint's).
/// </summary>
public class ElementwiseInt8Tests
{
    private static readonly QuantizationInfo s_qa = QuantizationInfo.PerTensor(0.5f, 0);
    private static readonly QuantizationInfo s_qb = QuantizationInfo.PerTensor(0.25f, 10);
    private static readonly QuantizationInfo s_qy = QuantizationInfo.PerTensor(1f, -5);

    private static sbyte[] RunBinary(OpCode op, sbyte[] a, sbyte[] b, QuantizationInfo qa, QuantizationInfo qb, QuantizationInfo qy)
    {
        var m = new ModelBuilder();
        TensorRef ta = m.Input("a", DataType.Int8, [a.Length], qa);
        TensorRef tb = m.Input("b", DataType.Int8, [b.Length], qb);
        m.Output(m.Node(op, [ta, tb], null, qy));
        return Run.Int8(m, a, b);
    }

    [Fact]
    public void Add_hand_worked_fixed_point()
    {
        // s_a 0.5 z_a 0; s_b 0.25 z_b 10; s_y 1 z_y -5. twice_max = 1.0:
        //   M_a = 0.5 -> (2^30, shift 0); M_b = 0.25 -> (2^30, shift -1); M_y = 1 / 2^20 -> (2^30, shift -19).
        // a=7, b=20: (7<<20)*0.5 = 3.5*2^20; (10<<20)*0.5 then /2 = 2.5*2^20; sum 6*2^20; *0.5 -> 3*2^20; /2^19 -> 6; -5+6 = 1
        // a=3, b=11: 1.5*2^20 + 0.25*2^20 = 1.75*2^20 -> 0.875*2^20 -> /2^19 = 1.75 -> 2; y = -3
        // a=1, b=10: 0.5*2^20 -> 2^18 -> /2^19 = 0.5, ties away from zero -> 1; y = -4 (fp32 half-to-even would give -5)
        // a=-1, b=10: -0.5 the same way -> -1; y = -6
        // a=127, b=127: 63.5 + 29.25 = 92.75 -> 93 -> 88;  a=-128, b=-128: -64 - 34.5 = -98.5 -> -99 -> -104
        // (saturation is covered by the exhaustive test below, whose output scale is small)
        sbyte[] y = RunBinary(OpCode.Add, [7, 3, 1, -1, 127, -128], [20, 11, 10, 10, 127, -128], s_qa, s_qb, s_qy);
        Tolerance.Equal([1, -3, -4, -6, 88, -104], y, "s8 add");
    }

    [Fact]
    public void Sub_hand_worked_fixed_point()
    {
        // Same scales as Add; the scaled inputs are subtracted.
        // a=7 (3.5), b=20 (2.5): 1 -> -4;  a=1 (0.5), b=12 (0.5): 0 -> -5;  a=3 (1.5), b=24 (3.5): -2 -> -7
        // a=0, b=12: 0 - 0.5*2^20 = -2^19 -> *0.5 = -2^18 -> /2^19 = -0.5, away from zero -> -1; y = -6
        // a=-128 (-64), b=127 (29.25): -93.25 -> -93 -> -98
        sbyte[] y = RunBinary(OpCode.Sub, [7, 1, 3, 0, -128], [20, 12, 24, 12, 127], s_qa, s_qb, s_qy);
        Tolerance.Equal([-4, -5, -7, -6, -98], y, "s8 sub");
    }

    [Fact]
    public void Mul_hand_worked_fixed_point()
    {
        // s_a 0.5 z_a 1; s_b 0.375 z_b -2; s_y 0.25 z_y 3. M = 0.1875 / 0.25 = 0.75 -> (0.75 * 2^31, shift 0), exact:
        // y = 3 + round(0.75 * (a-1)(b+2)), rounding as gemmlowp's SaturatingRoundingDoublingHighMul (ties toward +inf).
        // a=5, b=6: 4*8 = 32 -> 24 -> 27;  a=2, b=1: 1*3 = 3 -> 2.25 -> 2 -> 5;  a=0, b=3: -1*5 = -5 -> -3.75 -> -4 -> -1
        // a=3, b=0: 2*2 = 4 -> 3 -> 6;  a=2, b=0: 1*2 = 2 -> 1.5 -> 2 -> 5;  a=0, b=0: -1*2 = -2 -> -1.5 -> -1 -> 2 (tie up)
        // a=127, b=127: 126*129 = 16254 -> 12190.5 -> saturates to 127
        var qa = QuantizationInfo.PerTensor(0.5f, 1);
        var qb = QuantizationInfo.PerTensor(0.375f, -2);
        var qy = QuantizationInfo.PerTensor(0.25f, 3);
        sbyte[] y = RunBinary(OpCode.Mul, [5, 2, 0, 3, 2, 0, 127], [6, 1, 3, 0, 0, 0, 127], qa, qb, qy);
        Tolerance.Equal([27, 5, -1, 6, 5, 2, 127], y, "s8 mul");
    }

    [Fact]
    public void Div_is_via_fp32()
    {
        // s_a 0.5, s_b 0.25, s_y 0.1, all z 0. 3/2 = 1.5 -> 15; -2/3 = -0.667 -> -6.67 -> -7; 0.5/0 = +inf -> 127;
        // -1.5/0 = -inf -> -128; 0/0 = NaN -> the zero point 0.
        sbyte[] y = RunBinary(OpCode.Div, [6, -4, 1, -3, 0], [8, 12, 0, 0, 0],
            QuantizationInfo.PerTensor(0.5f, 0), QuantizationInfo.PerTensor(0.25f, 0), QuantizationInfo.PerTensor(0.1f, 0));
        Tolerance.Equal([15, -7, 127, -128, 0], y, "s8 div");
    }

    [Fact]
    public void Add_broadcasts_an_int8_constant()
    {
        // [2,3] + constant [3] with the Add scales above: b = [10, 14, 2] is [0, 1, -2] in real terms.
        // a = [0, 2, 4, 6, 8, 10] is [0, 1, 2, 3, 4, 5]; sums [0, 2, 0, 3, 5, 3] -> y = sum - 5.
        var m = new ModelBuilder();
        TensorRef a = m.Input("a", DataType.Int8, [2, 3], s_qa);
        TensorRef c = m.Constant("c", new sbyte[] { 10, 14, 2 }, [3], s_qb);
        m.Output(m.Add(a, c, s_qy));
        Tolerance.Equal([-5, -3, -5, -2, 0, -2], Run.Int8(m, [0, 2, 4, 6, 8, 10]), "s8 [2,3]+[3]");
    }

    [Fact]
    public void Int8_add_in_place_after_relu()
    {
        // relu (in scale 0.5 z 0 -> out scale 0.5 z 0) -> add const -> output; the add writes over the relu output.
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Int8, [4], s_qa);
        TensorRef r = m.Node(OpCode.Relu, [x], null, s_qa);
        TensorRef y = m.Add(r, m.Constant("c", new sbyte[] { 14 }, [1], s_qb), s_qy); // + 1.0
        m.Output(y);
        using InferenceSession s = m.BuildSession();
        Assert.Equal(s.Placements[r.Index].Buffer, s.Placements[y.Index].Buffer);
        new sbyte[] { -6, 2, 6, 20 }.CopyTo(s.Input<sbyte>(0));
        s.Run();
        // relu real [0, 1, 3, 10] + 1 = [1, 2, 4, 11] -> -5 + that
        Tolerance.Equal([-4, -3, -1, 6], s.Output<sbyte>(0), "s8 relu -> add");
        AllocationAssert.NoAllocations(s.Run, 100, "s8 add");
    }

    [Fact]
    public void Int8_mul_of_a_tensor_by_itself()
    {
        // relu(x) * relu(x): s 0.5 z 0 in, s 0.25 z 0 out; M = 0.25 / 0.25 = 1 -> (2^30, shift 1), exact.
        // x [2, -4, 6, 5] -> relu real [1, 0, 3, 2.5] -> squares [1, 0, 9, 6.25] -> / 0.25 = [4, 0, 36, 25]
        var m = new ModelBuilder();
        TensorRef x = m.Input("x", DataType.Int8, [4], s_qa);
        TensorRef r = m.Node(OpCode.Relu, [x], null, s_qa);
        m.Output(m.Mul(r, r, QuantizationInfo.PerTensor(0.25f, 0)));
        Tolerance.Equal([4, 0, 36, 25], Run.Int8(m, [2, -4, 6, 5]), "s8 x*x");
    }

    [Theory]
    [InlineData(0.5f, 0, 0.25f, 10, 1f, -5)]
    [InlineData(0.0173f, -7, 0.0411f, 100, 0.05f, 3)]
    [InlineData(0.3f, 127, 0.003f, -128, 0.0021f, -20)]
    public void Add_sub_mul_match_the_tflite_integer_formulas_for_every_pair(float sa, int za, float sb, int zb, float sy, int zy)
    {
        // a runs over all 256 values along axis 0 and b over all 256 along axis 1: one [256,256] broadcast per op.
        var a = new sbyte[256];
        var b = new sbyte[256];
        for (int i = 0; i < 256; i++)
        {
            a[i] = (sbyte)(i - 128);
            b[i] = (sbyte)(i - 128);
        }

        var qa = QuantizationInfo.PerTensor(sa, za);
        var qb = QuantizationInfo.PerTensor(sb, zb);
        var qy = QuantizationInfo.PerTensor(sy, zy);
        foreach (OpCode op in new[] { OpCode.Add, OpCode.Sub, OpCode.Mul })
        {
            var m = new ModelBuilder();
            TensorRef ta = m.Input("a", DataType.Int8, [256, 1], qa);
            TensorRef tb = m.Input("b", DataType.Int8, [256], qb);
            m.Output(m.Node(op, [ta, tb], null, qy));
            sbyte[] y = Run.Int8(m, a, b);
            for (int i = 0; i < 256; i++)
            {
                for (int j = 0; j < 256; j++)
                {
                    int expected = op == OpCode.Mul
                        ? TfliteFormulas.Mul(a[i], b[j], sa, za, sb, zb, sy, zy)
                        : TfliteFormulas.AddOrSub(a[i], b[j], sa, za, sb, zb, sy, zy, op == OpCode.Sub);
                    Assert.True(expected == y[(i * 256) + j],
                        $"{op} a={a[i]} b={b[j]} (s_a {sa} z_a {za} s_b {sb} z_b {zb} s_y {sy} z_y {zy}): got {y[(i * 256) + j]}, expected {expected}");
                }
            }
        }
    }
}

/// <summary>
/// TFLite's 8-bit add and mul, written from the spec with exact 64-bit arithmetic: multiplier m in [2^30, 2^31) with
/// real = m * 2^(shift-31); x*m/2^31 rounded half up (gemmlowp's high multiply), then /2^-shift rounded half away from zero.
/// </summary>
internal static class TfliteFormulas
{
    public static int AddOrSub(int a, int b, float sa, int za, float sb, int zb, float sy, int zy, bool subtract)
    {
        double twiceMax = 2 * (double)Math.Max(sa, sb);
        int xa = Apply((a - za) * (1 << 20), sa / twiceMax);
        int xb = Apply((b - zb) * (1 << 20), sb / twiceMax);
        int y = zy + Apply(subtract ? xa - xb : xa + xb, twiceMax / ((1 << 20) * (double)sy));
        return Math.Clamp(y, -128, 127);
    }

    public static int Mul(int a, int b, float sa, int za, float sb, int zb, float sy, int zy) =>
        Math.Clamp(zy + Apply((a - za) * (b - zb), (double)sa * sb / sy), -128, 127);

    private static int Apply(int x, double real)
    {
        // Normalize real into [0.5, 1) * 2^shift by repeated halving/doubling (no frexp), then round to 31 bits.
        int shift = 0;
        double q = real;
        while (q >= 1)
        {
            q /= 2;
            shift++;
        }

        while (q < 0.5)
        {
            q *= 2;
            shift--;
        }

        long m = (long)Math.Round(q * 2147483648.0, MidpointRounding.AwayFromZero);
        if (m == 2147483648L)
        {
            m /= 2;
            shift++;
        }

        long xs = shift > 0 ? (long)x << shift : x;
        Assert.InRange(xs, int.MinValue, int.MaxValue); // these tests never need saturation of the shifted input
        long high = ((xs * m) + (1L << 30)) >> 31; // floor((p + 2^30) / 2^31): round half up; |xs*m| < 2^62, exact
        int right = shift > 0 ? 0 : -shift;
        return (int)Math.Round(high / Math.Pow(2, right), MidpointRounding.AwayFromZero);
    }
}
