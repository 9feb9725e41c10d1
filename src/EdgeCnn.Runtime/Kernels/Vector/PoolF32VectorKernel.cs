using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>
/// fp32 max / average pooling (windowed or global, 1D to 3D) over channels last: per output pixel the window is resolved once
/// (PoolGeometry.Window, as the reference), then every channel vector reduces the in-input taps in the reference's order (so
/// averages match it bit for bit), with a scalar tail for the last channels. A window with no tap inside the input yields 0.
/// </summary>
internal sealed unsafe class PoolF32VectorKernel<TOps, TVec>(string name, PoolF32Plan plan) : Kernel
    where TOps : IF32Ops<TVec>
    where TVec : struct
{
    private readonly float* _x = plan.X; // [N, D, H, W, C]
    private readonly float* _y = plan.Y; // [N, OD, OH, OW, C]
    private readonly PoolGeometry _g = plan.Geometry;
    private readonly bool _max = plan.Kind == PoolKind.Max;
    private readonly bool _countIncludePad = plan.CountIncludePad;

    public override string Name => name;

    public static bool Accepts(PoolF32Plan plan) => plan.Kind is PoolKind.Max or PoolKind.Average;

    public override void Run()
    {
        PoolGeometry g = _g;
        int c = g.Channels;
        float* y = _y;
        for (int n = 0; n < g.Batch; n++)
        {
            float* batch = _x + ((long)n * g.InputSpatial * c);
            for (int od = 0; od < g.OutD; od++)
            {
                AxisWindow wd = g.Window(0, od);
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    AxisWindow wh = g.Window(1, oh);
                    for (int ow = 0; ow < g.OutW; ow++, y += c)
                    {
                        AxisWindow ww = g.Window(2, ow);
                        int valid = wd.Valid * wh.Valid * ww.Valid;
                        int divisor = _countIncludePad ? wd.Padded * wh.Padded * ww.Padded : valid;
                        if (valid == 0)
                        {
                            new Span<float>(y, c).Clear();
                        }
                        else if (_max)
                        {
                            Window(batch, y, c, wd, wh, ww, max: true, 0f);
                        }
                        else
                        {
                            Window(batch, y, c, wd, wh, ww, max: false, divisor);
                        }
                    }
                }
            }
        }
    }

    private void Window(float* batch, float* y, int c, AxisWindow wd, AxisWindow wh, AxisWindow ww, bool max, float divisor)
    {
        PoolGeometry g = _g;
        int ch = 0;
        TVec vdiv = TOps.Broadcast(divisor);
        for (; ch <= c - TOps.Count; ch += TOps.Count)
        {
            TVec acc = TOps.Broadcast(max ? float.NegativeInfinity : 0f);
            for (int kd = wd.First; kd < wd.End; kd++)
            {
                for (int kh = wh.First; kh < wh.End; kh++)
                {
                    float* row = batch + ((long)((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW * c) + ch;
                    for (int kw = ww.First; kw < ww.End; kw++)
                    {
                        TVec v = TOps.Load(row + ((long)ww.Index(kw) * c));
                        acc = max ? TOps.Max(acc, v) : TOps.Add(acc, v);
                    }
                }
            }

            TOps.Store(max ? acc : TOps.Divide(acc, vdiv), y + ch);
        }

        for (; ch < c; ch++)
        {
            float acc = max ? float.NegativeInfinity : 0f;
            for (int kd = wd.First; kd < wd.End; kd++)
            {
                for (int kh = wh.First; kh < wh.End; kh++)
                {
                    float* row = batch + ((long)((wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW * c) + ch;
                    for (int kw = ww.First; kw < ww.End; kw++)
                    {
                        float v = row[(long)ww.Index(kw) * c];
                        acc = max ? MathF.Max(acc, v) : acc + v;
                    }
                }
            }

            y[ch] = max ? acc : acc / divisor;
        }
    }
}
