using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>
/// int8 activations over all 256 inputs against the real function computed here in double precision (independent of the
/// runtime's float formulas): every output within 1 LSB, and exact wherever the double result is not within 0.01 LSB of a
/// rounding tie (where float and double may round differently).
/// </summary>
public class ActivationInt8Tests
{
    private const float InScale = 0.0625f;   // inputs cover [-8, 7.94]
    private const int InZero = 0;

    public static TheoryData<OpCode, float, int> Cases() => new()
    {
        { OpCode.Relu, 0.03125f, -128 },
        { OpCode.Clip, 0.03125f, -128 },
        { OpCode.LeakyRelu, 0.0625f, 10 },
        { OpCode.Elu, 0.0625f, 0 },
        { OpCode.Selu, 0.0625f, 0 },
        { OpCode.Sigmoid, 1f / 256, -128 },
        { OpCode.Tanh, 1f / 128, 0 },
        { OpCode.Softplus, 0.0625f, -128 },
        { OpCode.HardSigmoid, 1f / 256, -128 },
        { OpCode.HardSwish, 0.0625f, -20 },
        { OpCode.Silu, 0.0625f, -20 },
        { OpCode.Exp, 0.25f, -128 },
    };

    private static double Real(OpCode op, double x) => op switch
    {
        OpCode.Relu => Math.Max(x, 0),
        OpCode.Clip => Math.Min(Math.Max(x, 0), 6),
        OpCode.LeakyRelu => x >= 0 ? x : 0.2 * x,
        OpCode.Elu => x > 0 ? x : 1.5 * (Math.Exp(x) - 1),
        OpCode.Selu => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.Exp(x) - 1)),
        OpCode.Sigmoid => 1 / (1 + Math.Exp(-x)),
        OpCode.Tanh => Math.Tanh(x),
        OpCode.Softplus => Math.Log(1 + Math.Exp(x)),
        OpCode.HardSigmoid => Math.Clamp((0.2 * x) + 0.5, 0, 1),
        OpCode.HardSwish => x * Math.Clamp((x / 6) + 0.5, 0, 1),
        OpCode.Silu => x / (1 + Math.Exp(-x)),
        OpCode.Exp => Math.Exp(x),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static NodeAttribute[] Attributes(OpCode op) => op switch
    {
        OpCode.Clip => [NodeAttribute.Float(AttributeKey.Min, 0), NodeAttribute.Float(AttributeKey.Max, 6)],
        OpCode.LeakyRelu => [NodeAttribute.Float(AttributeKey.Alpha, 0.2f)],
        OpCode.Elu => [NodeAttribute.Float(AttributeKey.Alpha, 1.5f)],
        _ => [],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void All_256_inputs_match_the_real_function_requantized(OpCode op, float outScale, int outZero)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [256], QuantizationInfo.PerTensor(InScale, InZero));
        b.Output(b.Node(op, [x], Attributes(op), QuantizationInfo.PerTensor(outScale, outZero)));
        sbyte[] input = Enumerable.Range(-128, 256).Select(v => (sbyte)v).ToArray();
        sbyte[] y = Run.Int8(b, input);
        int exact = 0;
        for (int i = 0; i < 256; i++)
        {
            double steps = Real(op, (input[i] - InZero) * (double)InScale) / outScale;
            double expected = Math.Clamp(Math.Round(steps, MidpointRounding.ToEven) + outZero, -128, 127);
            bool nearTie = Math.Abs(Math.Abs(steps - Math.Floor(steps)) - 0.5) < 0.01;
            Assert.True(Math.Abs(y[i] - expected) <= (nearTie ? 1 : 0),
                $"{op}: q={input[i]} real={Real(op, input[i] * (double)InScale)}: got {y[i]}, expected {expected}");
            exact += y[i] == expected ? 1 : 0;
        }

        Assert.True(exact >= 250, $"{op}: only {exact}/256 exact");
    }

    [Fact]
    public void Monotone_activations_give_monotone_int8_tables()
    {
        OpCode[] monotone = [OpCode.Relu, OpCode.LeakyRelu, OpCode.Elu, OpCode.Sigmoid, OpCode.Tanh, OpCode.Softplus, OpCode.HardSigmoid];
        Gen<(int Op, float InScale, int InZero, float OutScale, int OutZero)> gen =
            from op in Gen.Choose(0, monotone.Length - 1)
            from inScale in Gen.Choose(1, 400).Select(v => v / 1000f)
            from inZero in Gen.Choose(-128, 127)
            from outScale in Gen.Choose(1, 400).Select(v => v / 1000f)
            from outZero in Gen.Choose(-128, 127)
            select (op, inScale, inZero, outScale, outZero);
        Prop.ForAll(Arb.From(gen), c =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Int8, [256], QuantizationInfo.PerTensor(c.InScale, c.InZero));
            b.Output(b.Node(monotone[c.Op], [x], null, QuantizationInfo.PerTensor(c.OutScale, c.OutZero)));
            sbyte[] y = Run.Int8(b, Enumerable.Range(-128, 256).Select(v => (sbyte)v).ToArray());
            for (int i = 1; i < 256; i++)
            {
                if (y[i] < y[i - 1])
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Fp32_relu_is_idempotent_and_clip_bounds_hold()
    {
        Gen<float[]> gen = Gen.ArrayOf(Gen.Choose(-100000, 100000).Select(v => v / 1000f)).Where(a => a.Length > 0);
        Prop.ForAll(Arb.From(gen), xs =>
        {
            var b = new ModelBuilder();
            TensorRef x = b.Input("x", DataType.Float32, [xs.Length]);
            TensorRef r = b.Node(OpCode.Relu, x);
            TensorRef rr = b.Node(OpCode.Relu, r);
            b.Output(b.Node(OpCode.Clip, rr, NodeAttribute.Float(AttributeKey.Min, -1f), NodeAttribute.Float(AttributeKey.Max, 2.5f)));
            float[] y = Run.Float(b, xs);
            return y.Zip(xs).All(p => p.First == Math.Min(Math.Max(p.Second, 0f), 2.5f));
        }).QuickCheckThrowOnFailure();
    }
}
