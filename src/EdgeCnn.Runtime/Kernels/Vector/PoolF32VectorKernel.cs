using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>Which reduction a pooling kernel is specialised for; a constant the JIT folds, so Run never branches on it.</summary>
internal interface IPoolReduction
{
    static abstract bool IsMax { get; }
}

internal readonly struct MaxPooling : IPoolReduction
{
    public static bool IsMax => true;
}

internal readonly struct AveragePooling : IPoolReduction
{
    public static bool IsMax => false;
}

/// <summary>
/// fp32 max / average pooling (windowed or global, 1D to 3D) over channels last. The window of every output index on each
/// axis is resolved at Plan (PoolGeometry.Window, as the reference); per output pixel Run lists the in-input taps in the
/// reference's order, then reduces four channel vectors at a time over them (one pointer load per four vectors), in that
/// order, so averages match the reference bit for bit; then single vectors, then a scalar tail for the last channels. A
/// window with no tap inside the input yields 0.
/// </summary>
internal sealed unsafe class PoolF32VectorKernel<TOps, TVec, TReduce> : Kernel
    where TOps : IF32Ops<TVec>
    where TVec : struct
    where TReduce : IPoolReduction
{
    private readonly string _name;
    private readonly float* _x; // [N, D, H, W, C]
    private readonly float* _y; // [N, OD, OH, OW, C]
    private readonly PoolGeometry _g;
    private readonly bool _countIncludePad;
    private readonly AxisWindow[] _windowsD, _windowsH, _windowsW; // [OD], [OH], [OW]
    private readonly PinnedBuffer<nint> _taps; // [kernel volume] input pointers of the current output pixel

    public PoolF32VectorKernel(string name, PoolF32Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _name = name;
        _x = plan.X;
        _y = plan.Y;
        _g = plan.Geometry;
        _countIncludePad = plan.CountIncludePad;
        _windowsD = Windows(_g, 0, _g.OutD);
        _windowsH = Windows(_g, 1, _g.OutH);
        _windowsW = Windows(_g, 2, _g.OutW);
        _taps = new PinnedBuffer<nint>(Math.Max(1, _g.KernelVolume));
    }

    public override string Name => _name;

    public static bool Accepts(PoolF32Plan plan) => plan.Kind == (TReduce.IsMax ? PoolKind.Max : PoolKind.Average);

    public override void Run()
    {
        PoolGeometry g = _g;
        int c = g.Channels;
        long rowFloats = (long)g.InW * c;
        float* y = _y;
        nint* taps = _taps.Pointer;
        for (int n = 0; n < g.Batch; n++)
        {
            float* batch = _x + ((long)n * g.InputSpatial * c);
            foreach (AxisWindow wd in _windowsD)
            {
                foreach (AxisWindow wh in _windowsH)
                {
                    foreach (AxisWindow ww in _windowsW)
                    {
                        int count = 0;
                        for (int kd = wd.First; kd < wd.End; kd++)
                        {
                            for (int kh = wh.First; kh < wh.End; kh++)
                            {
                                float* row = batch + ((((long)wd.Index(kd) * g.InH) + wh.Index(kh)) * rowFloats);
                                for (int kw = ww.First; kw < ww.End; kw++)
                                {
                                    taps[count++] = (nint)(row + ((long)ww.Index(kw) * c));
                                }
                            }
                        }

                        if (count == 0)
                        {
                            new Span<float>(y, c).Clear();
                        }
                        else
                        {
                            int divisor = _countIncludePad ? wd.Padded * wh.Padded * ww.Padded : count;
                            Reduce((float**)taps, count, y, c, divisor);
                        }

                        y += c;
                    }
                }
            }
        }
    }

    private static AxisWindow[] Windows(PoolGeometry g, int axis, int outputs)
    {
        var windows = new AxisWindow[outputs];
        for (int o = 0; o < outputs; o++)
        {
            windows[o] = g.Window(axis, o);
        }

        return windows;
    }

    private static TVec Combine(TVec acc, TVec v) => TReduce.IsMax ? TOps.Max(acc, v) : TOps.Add(acc, v);

    private static void Reduce(float** taps, int count, float* y, int c, float divisor)
    {
        int n = TOps.Count;
        TVec vdiv = TOps.Broadcast(divisor);
        // Max starts from the first tap (max(-inf, v) = v for every v, NaN included); a sum starts from +0 as the reference
        // does, so that a window of -0 averages to +0.
        int start = TReduce.IsMax ? 1 : 0;
        int ch = 0;
        for (; ch <= c - (4 * n); ch += 4 * n)
        {
            TVec a0, a1, a2, a3;
            if (TReduce.IsMax)
            {
                // The running maximum in one vmaxps per tap (MaxNative, the accumulator as the operand x86 returns for a
                // NaN, so a NaN accumulator stays); a NaN among the taps is caught by the NaN mask and restored at the end.
                // The IEEE Max does both in about five instructions, which made this loop compute-bound.
                float* p = taps[0] + ch;
                (a0, a1, a2, a3) = (TOps.Load(p), TOps.Load(p + n), TOps.Load(p + (2 * n)), TOps.Load(p + (3 * n)));
                TVec nan0 = TOps.Broadcast(0f), nan1 = nan0, nan2 = nan0, nan3 = nan0;
                for (int t = 1; t < count; t++)
                {
                    p = taps[t] + ch;
                    TVec v0 = TOps.Load(p), v1 = TOps.Load(p + n), v2 = TOps.Load(p + (2 * n)), v3 = TOps.Load(p + (3 * n));
                    (a0, nan0) = (TOps.MaxNative(v0, a0), TOps.OrNaN(nan0, v0));
                    (a1, nan1) = (TOps.MaxNative(v1, a1), TOps.OrNaN(nan1, v1));
                    (a2, nan2) = (TOps.MaxNative(v2, a2), TOps.OrNaN(nan2, v2));
                    (a3, nan3) = (TOps.MaxNative(v3, a3), TOps.OrNaN(nan3, v3));
                }

                (a0, a1, a2, a3) = (TOps.SelectNaN(nan0, a0), TOps.SelectNaN(nan1, a1), TOps.SelectNaN(nan2, a2), TOps.SelectNaN(nan3, a3));
            }
            else
            {
                a0 = a1 = a2 = a3 = TOps.Broadcast(0f);
                for (int t = 0; t < count; t++)
                {
                    float* p = taps[t] + ch;
                    a0 = TOps.Add(a0, TOps.Load(p));
                    a1 = TOps.Add(a1, TOps.Load(p + n));
                    a2 = TOps.Add(a2, TOps.Load(p + (2 * n)));
                    a3 = TOps.Add(a3, TOps.Load(p + (3 * n)));
                }

                (a0, a1, a2, a3) = (TOps.Divide(a0, vdiv), TOps.Divide(a1, vdiv), TOps.Divide(a2, vdiv), TOps.Divide(a3, vdiv));
            }

            TOps.Store(a0, y + ch);
            TOps.Store(a1, y + ch + n);
            TOps.Store(a2, y + ch + (2 * n));
            TOps.Store(a3, y + ch + (3 * n));
        }

        for (; ch <= c - n; ch += n)
        {
            TVec acc = TReduce.IsMax ? TOps.Load(taps[0] + ch) : TOps.Broadcast(0f);
            for (int t = start; t < count; t++)
            {
                acc = Combine(acc, TOps.Load(taps[t] + ch));
            }

            TOps.Store(TReduce.IsMax ? acc : TOps.Divide(acc, vdiv), y + ch);
        }

        for (; ch < c; ch++)
        {
            float acc = TReduce.IsMax ? taps[0][ch] : 0f;
            for (int t = start; t < count; t++)
            {
                float v = taps[t][ch];
                acc = TReduce.IsMax ? MathF.Max(acc, v) : acc + v;
            }

            y[ch] = TReduce.IsMax ? acc : acc / divisor;
        }
    }
}
