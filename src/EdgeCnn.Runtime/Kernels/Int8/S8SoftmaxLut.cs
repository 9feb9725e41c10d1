using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>An int8 Softmax as Plan sees it: the tensor as [outer, length, inner] along the axis, and both quantizations.</summary>
internal sealed unsafe class S8SoftmaxPlan(sbyte* x, sbyte* y, int outer, int length, int inner, bool log, float inScale, int inZeroPoint,
    float outScale, int outZeroPoint)
{
    public sbyte* X { get; } = x;   // [outer, length, inner]

    public sbyte* Y { get; } = y;   // [outer, length, inner]; may be the bytes of X

    public int Outer { get; } = outer;

    public int Length { get; } = length;

    public int Inner { get; } = inner;

    public bool Log { get; } = log;

    public float InScale { get; } = inScale;

    public int InZeroPoint { get; } = inZeroPoint;

    public float OutScale { get; } = outScale;

    public int OutZeroPoint { get; } = outZeroPoint;
}

/// <summary>
/// int8 Softmax with the reference's exponentials tabulated: the reference computes e = exp(dequantize(q) - dequantize(m))
/// for every element q of a row whose maximum is m, twice (for the sum and for the output). Both operands are int8, so
/// Plan evaluates that same fp32 expression for all 256 x 256 pairs (256 KiB) and Run reads it: the sum is accumulated in
/// the reference's order from the same values and each output is quantize(e / sum) as there, so the result is bit-exact
/// with no exponential at Run. Rows with only a few elements (a detector's two-class scores over thousands of anchors)
/// were all exponentials before.
/// </summary>
internal sealed unsafe class S8SoftmaxLut : Kernel
{
    private readonly string _name;
    private readonly S8SoftmaxPlan _plan;
    private readonly float[] _exp; // [m + 128][q + 128] = exp(dequantize(q) - dequantize(m))

    public S8SoftmaxLut(string name, S8SoftmaxPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _name = name;
        _plan = plan;
        _exp = new float[256 * 256];
        for (int m = -128; m <= 127; m++)
        {
            float max = QuantMath.Dequantize(m, plan.InScale, plan.InZeroPoint);
            for (int q = -128; q <= 127; q++)
            {
                _exp[((m + 128) << 8) | (q + 128)] = MathF.Exp(QuantMath.Dequantize(q, plan.InScale, plan.InZeroPoint) - max);
            }
        }
    }

    public override string Name => _name;

    /// <summary>Softmax only: log-softmax needs log(sum), which is not a function of one pair.</summary>
    public static bool Accepts(S8SoftmaxPlan plan) => plan is not null && !plan.Log;

    public override void Run()
    {
        S8SoftmaxPlan p = _plan;
        int length = p.Length, inner = p.Inner;
        float outScale = p.OutScale;
        int outZero = p.OutZeroPoint;
        sbyte* x = p.X, y = p.Y;
        fixed (float* table = _exp)
        {
            for (int o = 0; o < p.Outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    long start = ((long)o * length * inner) + i;
                    int maxQ = sbyte.MinValue;
                    for (int k = 0; k < length; k++)
                    {
                        maxQ = Math.Max(maxQ, x[start + ((long)k * inner)]);
                    }

                    float* row = table + ((maxQ + 128) << 8) + 128;
                    float sum = 0f;
                    for (int k = 0; k < length; k++)
                    {
                        sum += row[x[start + ((long)k * inner)]];
                    }

                    for (int k = 0; k < length; k++)
                    {
                        long at = start + ((long)k * inner);
                        y[at] = QuantMath.QuantizeToInt8(row[x[at]] / sum, outScale, outZero);
                    }
                }
            }
        }
    }
}
