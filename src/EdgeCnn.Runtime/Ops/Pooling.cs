using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>Which reduction a pooling window applies.</summary>
internal enum PoolKind
{
    Max,
    Average,
    Lp,
}

/// <summary>
/// MaxPool, AveragePool and LpPool over 1, 2 or 3 spatial axes of channels-last [N, spatial.., C] (fp32 or int8), and the
/// global pools, which are the same kernels with one window covering every spatial position.
/// </summary>
internal sealed class WindowPool : Operator
{
    // The int8 average sums |q - z_x| <= 255 per tap in int32: exact up to 2^23 taps.
    internal const int MaxInt8AverageTaps = 1 << 23;

    /// <summary>Windows of at most 2^24 taps keep every count, divisor and padded-window product in int32.</summary>
    internal const int MaxWindowTaps = 1 << 24;

    private readonly PoolKind _kind;
    private readonly bool _global;

    public WindowPool(OpCode code, PoolKind kind, bool global)
    {
        Code = code;
        _kind = kind;
        _global = global;
        var keys = new List<AttributeKey>();
        if (!global)
        {
            keys.AddRange([AttributeKey.KernelShape, AttributeKey.Strides, AttributeKey.Dilations, AttributeKey.Pads,
                AttributeKey.PadMode, AttributeKey.CeilMode]);
            if (kind == PoolKind.Average)
            {
                keys.Add(AttributeKey.CountIncludePad);
            }

            if (kind == PoolKind.Lp)
            {
                keys.Add(AttributeKey.P);
            }
        }

        Attributes = keys.ToArray();
    }

    public override OpCode Code { get; }

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override IReadOnlyList<AttributeKey> Attributes { get; }

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        ctx.RequireRank(0, 3, 5);
        if (x.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(x, "input");
        }

        SpatialGeometry geometry = Geometry(ctx, x);
        ReadOptions(ctx); // validates CountIncludePad and P
        for (int d = 0; d < geometry.Rank; d++)
        {
            // A pad as wide as the window lets a window lie entirely in padding (PyTorch even asks pad <= kernel / 2); the
            // ceil_mode rule "the last window starts inside input or begin padding" also assumes it.
            int effective = ((geometry.Kernel[d] - 1) * geometry.Dilations[d]) + 1;
            if (geometry.PadBegin[d] >= effective || geometry.PadEnd[d] >= effective)
            {
                throw ctx.Fail($"pads {geometry.PadBegin[d]}/{geometry.PadEnd[d]} on spatial axis {d} must be smaller than the " +
                    $"window ({effective} with dilation)");
            }
        }

        long taps = 1;
        foreach (int k in geometry.Kernel)
        {
            taps = checked(taps * k); // each k <= 2^26, three axes: at most 2^78 would overflow, so check
            if (taps > MaxWindowTaps)
            {
                throw ctx.Fail($"{Code} window has more than {MaxWindowTaps} taps; the divisor and counts are int32");
            }
        }

        if (_kind == PoolKind.Average && x.Type == DataType.Int8 && taps > MaxInt8AverageTaps)
        {
            throw ctx.Fail($"int8 {Code} window has {taps} taps; at most {MaxInt8AverageTaps} keep the int32 sum exact");
        }

        int r = x.Shape.Length - 2;
        var shape = new int[x.Shape.Length];
        shape[0] = x.Shape[0];
        Array.Copy(geometry.Output, 0, shape, 1, r);
        shape[^1] = x.Shape[^1];
        ctx.SetOutput(0, x.Type, shape);
    }

    /// <summary>The most taps any window can count: per axis, the kernel or the padded input, whichever is smaller.</summary>
    private static int MaxDivisor(SpatialGeometry g)
    {
        long n = 1;
        for (int d = 0; d < g.Rank; d++)
        {
            n *= Math.Min(g.Kernel[d], (long)g.Input[d] + g.PadBegin[d] + g.PadEnd[d]);
        }

        return (int)n;
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0);
        SpatialGeometry sg = Geometry(ctx, x);
        var g = new PoolGeometry(x.Shape[0], x.Shape[^1], sg.Input, sg.Output, sg.Kernel, sg.Strides, sg.Dilations, sg.PadBegin, sg.PadEnd);
        (bool countIncludePad, int p) = ReadOptions(ctx);
        int inCount = (int)x.ElementCount, outCount = (int)ctx.Output(0).ElementCount;
        string name = Code.ToString().ToLowerInvariant();
        if (x.Type == DataType.Float32)
        {
            var xf = (float*)ctx.InputPointer(0);
            var yf = (float*)ctx.OutputPointer(0);
            var plan = new PoolF32Plan(_kind, xf, yf, g, countIncludePad);
            Kernel? fast = KernelTable.ChooseOptimized(Code, DataType.Float32, plan, ctx.Options)?.Create(plan);
            return fast ?? new PoolF32Kernel($"f32-{name}-ref", _kind, xf, inCount, yf, outCount, g, countIncludePad, p);
        }

        QuantizationInfo qi = x.Quantization!;
        QuantizationInfo qo = ctx.Output(0).Quantization!;
        var xs = (sbyte*)ctx.InputPointer(0);
        var ys = (sbyte*)ctx.OutputPointer(0);
        switch (_kind)
        {
            case PoolKind.Max:
            {
                (int m, int shift) = FixedPoint.QuantizeMultiplier((double)qi.Scale / qo.Scale);
                var plan = new Kernels.Int8.S8PoolPlan(_kind, xs, ys, g, false, qi.ZeroPoint, qo.ZeroPoint, m, shift, null, null);
                return KernelTable.ChooseOptimized(Code, DataType.Int8, plan, ctx.Options)?.Create(plan)
                    ?? new MaxPoolS8Kernel($"s8-{name}-ref", xs, inCount, ys, outCount, g, qi.ZeroPoint, qo.ZeroPoint, m, shift);
            }

            case PoolKind.Average:
            {
                // One multiplier per possible divisor n = 1..taps (borders have fewer taps); n = 0 (empty window) maps to 0.
                // No window counts more taps than fit in the padded input, so a huge kernel over a small input needs a small table.
                int taps = MaxDivisor(sg);
                var multipliers = new int[taps + 1];
                var shifts = new int[taps + 1];
                for (int n = 1; n <= taps; n++)
                {
                    (multipliers[n], shifts[n]) = FixedPoint.QuantizeMultiplier((double)qi.Scale / ((double)qo.Scale * n));
                }

                var plan = new Kernels.Int8.S8PoolPlan(_kind, xs, ys, g, countIncludePad, qi.ZeroPoint, qo.ZeroPoint, 0, 0, multipliers, shifts);
                return KernelTable.ChooseOptimized(Code, DataType.Int8, plan, ctx.Options)?.Create(plan)
                    ?? new AveragePoolS8Kernel($"s8-{name}-ref", xs, inCount, ys, outCount, g, countIncludePad, qi.ZeroPoint,
                    qo.ZeroPoint, multipliers, shifts);
            }

            default:
                return new LpPoolS8Kernel($"s8-{name}-viaf32-ref", xs, inCount, ys, outCount, g, p, qi.Scale, qi.ZeroPoint, qo.Scale,
                    qo.ZeroPoint);
        }
    }

    private SpatialGeometry Geometry(NodeContext ctx, TensorDesc x)
    {
        int r = x.Shape.Length - 2;
        int[] spatial = x.Shape[1..^1];
        if (_global)
        {
            // One window over every position: kernel = input, stride 1, no padding, so the output is [N, 1.., C].
            return SpatialGeometry.FromNode(ctx, spatial, spatial, allowCeilMode: false);
        }

        int[] kernel = ctx.Ints(AttributeKey.KernelShape, null) ?? throw ctx.Fail("KernelShape is required");
        if (kernel.Length != r)
        {
            throw ctx.Fail($"KernelShape has {kernel.Length} values; the input has {r} spatial axes");
        }

        return SpatialGeometry.FromNode(ctx, spatial, kernel, allowCeilMode: true);
    }

    private (bool CountIncludePad, int P) ReadOptions(NodeContext ctx)
    {
        int include = _kind == PoolKind.Average ? ctx.Int(AttributeKey.CountIncludePad, 0) : 0;
        if (include is not (0 or 1))
        {
            throw ctx.Fail($"CountIncludePad must be 0 or 1, is {include}");
        }

        int p = _kind == PoolKind.Lp ? ctx.Int(AttributeKey.P, 2) : 2;
        if (p < 1)
        {
            throw ctx.Fail($"P must be >= 1, is {p}");
        }

        return (include == 1, p);
    }
}
