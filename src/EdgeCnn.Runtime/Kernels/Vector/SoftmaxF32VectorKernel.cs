using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>
/// fp32 Softmax / LogSoftmax over the last axis (inner = 1, the channels of NHWC): per row a vector max, then
/// e = exp(x - max) summed (stored for Softmax), then y = e / sum, or y = x - max - log(sum) for LogSoftmax (which reads x
/// again, so it never writes before the last read: safe in place).
/// </summary>
internal sealed unsafe class SoftmaxF32VectorKernel<TOps, TVec>(string name, SoftmaxF32Plan plan) : Kernel
    where TOps : IF32Ops<TVec>
    where TVec : struct
{
    private readonly float* _x = plan.X; // [outer, length]
    private readonly float* _y = plan.Y;
    private readonly int _outer = plan.Outer;
    private readonly int _length = plan.Length;
    private readonly bool _log = plan.Log;

    public override string Name => name;

    public static bool Accepts(SoftmaxF32Plan plan) => plan.Inner == 1;

    public override void Run()
    {
        int n = _length, w = TOps.Count, first = 0;
        if (n == 2 && !_log)
        {
            first = Pairs();
        }

        for (int o = first; o < _outer; o++)
        {
            float* x = _x + ((long)o * n), y = _y + ((long)o * n);
            float max = float.NegativeInfinity;
            int i = 0;
            if (n >= w)
            {
                TVec vmax = TOps.Load(x);
                for (i = w; i <= n - w; i += w)
                {
                    vmax = TOps.Max(vmax, TOps.Load(x + i));
                }

                max = TOps.MaxAcross(vmax);
            }

            for (; i < n; i++)
            {
                max = MathF.Max(max, x[i]);
            }

            TVec vm = TOps.Broadcast(max), vsum = TOps.Broadcast(0f);
            float sum = 0f;
            for (i = 0; i <= n - w; i += w)
            {
                TVec e = TOps.Exp(TOps.Subtract(TOps.Load(x + i), vm));
                vsum = TOps.Add(vsum, e);
                if (!_log)
                {
                    TOps.Store(e, y + i);
                }
            }

            for (; i < n; i++)
            {
                float e = MathF.Exp(x[i] - max);
                sum += e;
                if (!_log)
                {
                    y[i] = e;
                }
            }

            sum += TOps.Sum(vsum);
            if (_log)
            {
                float shift = max + MathF.Log(sum);
                TVec vs = TOps.Broadcast(shift);
                for (i = 0; i <= n - w; i += w)
                {
                    TOps.Store(TOps.Subtract(TOps.Load(x + i), vs), y + i);
                }

                for (; i < n; i++)
                {
                    y[i] = x[i] - shift;
                }
            }
            else
            {
                TVec vs = TOps.Broadcast(sum);
                for (i = 0; i <= n - w; i += w)
                {
                    TOps.Store(TOps.Divide(TOps.Load(y + i), vs), y + i);
                }

                for (; i < n; i++)
                {
                    y[i] /= sum;
                }
            }
        }
    }

    /// <summary>
    /// Rows of 2 (two-class scores: face / background), w / 2 rows per vector: the pair's max and sum come from the vector
    /// and its pair-swapped copy, so nothing runs per row. Per lane the same operations as the row loop: max, exp(x - max),
    /// e0 + e1, e / sum. Returns the first row left to the row loop.
    /// </summary>
    private int Pairs()
    {
        int w = TOps.Count;
        long total = 2L * _outer, i = 0;
        for (; i <= total - w; i += w)
        {
            TVec v = TOps.Load(_x + i);
            TVec e = TOps.Exp(TOps.Subtract(v, TOps.Max(v, TOps.SwapPairs(v))));
            TOps.Store(TOps.Divide(e, TOps.Add(e, TOps.SwapPairs(e))), _y + i);
        }

        return (int)(i / 2);
    }
}
