using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// An int8 max or average pooling node (window pools and their global forms) over [N, spatial..., C]: the reference
/// geometry and every requantization constant, resolved at Plan exactly as the operator resolves them for the reference.
/// </summary>
internal sealed unsafe class S8PoolPlan(PoolKind kind, sbyte* x, sbyte* y, PoolGeometry geometry, bool countIncludePad, int inputZeroPoint,
    int outputZeroPoint, int maxMultiplier, int maxShift, int[]? averageMultipliers, int[]? averageShifts)
{
    public PoolKind Kind { get; } = kind;

    public sbyte* X { get; } = x;

    public sbyte* Y { get; } = y;

    public PoolGeometry Geometry { get; } = geometry;

    public bool CountIncludePad { get; } = countIncludePad;

    public int InputZeroPoint { get; } = inputZeroPoint;

    public int OutputZeroPoint { get; } = outputZeroPoint;

    /// <summary>Max pool: M = s_x / s_y.</summary>
    public int MaxMultiplier { get; } = maxMultiplier;

    public int MaxShift { get; } = maxShift;

    /// <summary>Average pool: index n holds M_n = s_x / (s_y * n) for every divisor the geometry can produce.</summary>
    public int[]? AverageMultipliers { get; } = averageMultipliers;

    public int[]? AverageShifts { get; } = averageShifts;
}

/// <summary>
/// One output pixel's channel loop of an int8 pool on one ISA: max of the raw int8 over the taps (dequantization is
/// monotonic) then the rescale, or the int32 sum of (q - z_x) over the taps then the divisor's rescale.
/// </summary>
public unsafe interface IS8PoolPixel
{
    static abstract void Max(sbyte** taps, int count, sbyte* y, int channels, int inputZeroPoint, int outputZeroPoint, bool identity, in S8Rescale rescale);

    static abstract void Average(sbyte** taps, int count, sbyte* y, int channels, int inputZeroPoint, int outputZeroPoint, in S8Rescale rescale);
}

/// <summary>
/// int8 max / average pooling, channels-last: for each output pixel the in-input taps of its window are gathered as row
/// pointers, then the ISA's channel loop reduces them across vectors of neighbouring channels. Padding taps never
/// contribute (as the reference); an empty window yields real 0. Each axis's windows (first and last valid tap, padded
/// count: three integer divisions each) are resolved once at Plan, not for every output pixel at Run.
/// </summary>
internal sealed unsafe class S8PoolKernel<TPixel> : Kernel
    where TPixel : struct, IS8PoolPixel
{
    private readonly string _name;
    private readonly S8PoolPlan _plan;
    private readonly S8Rescale _maxRescale;
    private readonly bool _identity;
    private readonly S8Rescale[] _averageRescale; // [divisor]
    private readonly sbyte*[] _taps;              // [taps] row pointers of the current window (pinned by fixed in Run)
    private readonly AxisWindow[] _wd, _wh, _ww;   // [OutD], [OutH], [OutW]: each output index's window on that axis

    public S8PoolKernel(string name, S8PoolPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _name = name;
        _plan = plan;
        _maxRescale = S8Rescale.From(plan.MaxMultiplier, plan.MaxShift);
        // QuantizeMultiplier(1) = (2^30, 1): y = z_y + (q - z_x) exactly, so equal quantizations copy the max.
        _identity = plan.Kind == PoolKind.Max && plan.MaxMultiplier == 1 << 30 && plan.MaxShift == 1 && plan.InputZeroPoint == plan.OutputZeroPoint;
        int[] m = plan.AverageMultipliers ?? [], s = plan.AverageShifts ?? [];
        _averageRescale = new S8Rescale[m.Length];
        for (int n = 0; n < m.Length; n++)
        {
            _averageRescale[n] = S8Rescale.From(m[n], s[n]);
        }

        // A window's in-input taps are distinct input positions: at most min(kernel volume, input positions) of them.
        _taps = new sbyte*[Math.Min(plan.Geometry.KernelVolume, plan.Geometry.InputSpatial)];
        PoolGeometry g = plan.Geometry;
        _wd = Windows(g, 0, g.OutD);
        _wh = Windows(g, 1, g.OutH);
        _ww = Windows(g, 2, g.OutW);
    }

    private static AxisWindow[] Windows(PoolGeometry g, int axis, int count)
    {
        var w = new AxisWindow[count];
        for (int o = 0; o < count; o++)
        {
            w[o] = g.Window(axis, o);
        }

        return w;
    }

    public override string Name => _name;

    /// <summary>Accepted: max and average (Lp is defined through fp32 and stays reference).</summary>
    public static bool Accepts(S8PoolPlan plan) => plan.Kind is PoolKind.Max or PoolKind.Average;

    public override void Run()
    {
        S8PoolPlan p = _plan;
        PoolGeometry g = p.Geometry;
        int c = g.Channels;
        sbyte* y = p.Y;
        fixed (sbyte** taps = _taps)
        {
            for (int n = 0; n < g.Batch; n++)
            {
                sbyte* batch = p.X + ((long)n * g.InputSpatial * c);
                for (int od = 0; od < g.OutD; od++)
                {
                    AxisWindow wd = _wd[od];
                    for (int oh = 0; oh < g.OutH; oh++)
                    {
                        AxisWindow wh = _wh[oh];
                        for (int ow = 0; ow < g.OutW; ow++, y += c)
                        {
                            AxisWindow ww = _ww[ow];
                            int count = 0;
                            for (int kd = wd.First; kd < wd.End; kd++)
                            {
                                for (int kh = wh.First; kh < wh.End; kh++)
                                {
                                    sbyte* row = batch + ((((long)wd.Index(kd) * g.InH) + wh.Index(kh)) * g.InW * c);
                                    for (int kw = ww.First; kw < ww.End; kw++)
                                    {
                                        taps[count++] = row + ((long)ww.Index(kw) * c);
                                    }
                                }
                            }

                            if (p.Kind == PoolKind.Max)
                            {
                                TPixel.Max(taps, count, y, c, p.InputZeroPoint, p.OutputZeroPoint, _identity, _maxRescale);
                            }
                            else
                            {
                                int divisor = p.CountIncludePad ? wd.Padded * wh.Padded * ww.Padded : count;
                                TPixel.Average(taps, count, y, c, p.InputZeroPoint, p.OutputZeroPoint, _averageRescale[divisor]);
                            }
                        }
                    }
                }
            }
        }
    }
}
