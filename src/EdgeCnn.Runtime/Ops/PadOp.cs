using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// ONNX Pad over every axis: Pads = [begin of each axis, then end of each] (negative crops), Mode PadFill (constant, reflect,
/// edge), Value (constant fill, default 0). int8 keeps the input's quantization and fills with quantize(Value).
/// </summary>
internal sealed class PadOperator : Operator
{
    public override OpCode Code => OpCode.Pad;

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override IReadOnlyList<AttributeKey> Attributes { get; } = [AttributeKey.Pads, AttributeKey.Mode, AttributeKey.Value];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ShapeRules.RequireData(ctx, 0);
        ShapeRules.RequireSameQuantization(ctx, x);
        int r = x.Shape.Length;
        int[] pads = ctx.Ints(AttributeKey.Pads, null) ?? throw ctx.Fail("attribute Pads is required");
        if (pads.Length != 2 * r)
        {
            throw ctx.Fail($"pads has {pads.Length} values; {2 * r} expected (begin of each axis, then end)");
        }

        int mode = ctx.Int(AttributeKey.Mode, (int)PadFill.Constant);
        if (mode is < 0 or > 2)
        {
            throw ctx.Fail($"pad mode {mode} is unknown (0 constant, 1 reflect, 2 edge)");
        }

        if (ctx.Has(AttributeKey.Value) && mode != (int)PadFill.Constant)
        {
            throw ctx.Fail("Value only applies to constant padding");
        }

        var shape = new int[r];
        for (int d = 0; d < r; d++)
        {
            int n = x.Shape[d], b = pads[d], e = pads[r + d];
            if (Math.Abs((long)b) > SpatialGeometry.MaxExtent || Math.Abs((long)e) > SpatialGeometry.MaxExtent)
            {
                throw ctx.Fail($"axis {d}: pads {b}/{e} exceed the supported magnitude {SpatialGeometry.MaxExtent}");
            }

            long size = (long)n + b + e;
            if (size < 1 || size > int.MaxValue)
            {
                throw ctx.Fail($"axis {d}: size {n} with pads {b}/{e} gives {size}; at least 1 is needed");
            }

            // A crop larger than the axis would leave nothing of the input to reflect or repeat.
            if (Math.Max(0L, -(long)b) + Math.Max(0L, -(long)e) >= n && mode != (int)PadFill.Constant)
            {
                throw ctx.Fail($"axis {d}: crops {-b}/{-e} remove the whole axis of size {n}; {(PadFill)mode} padding needs input left");
            }

            if (mode == (int)PadFill.Reflect && (b >= n || e >= n))
            {
                throw ctx.Fail($"axis {d}: reflect pads {b}/{e} must be smaller than the axis size {n}");
            }

            shape[d] = (int)size;
        }

        ctx.SetOutput(0, x.Type, shape);
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0), y = ctx.Output(0);
        int r = x.Shape.Length;
        int[] begin = ctx.Ints(AttributeKey.Pads, null)!.AsSpan(0, r).ToArray();
        int mode = ctx.Int(AttributeKey.Mode, (int)PadFill.Constant);
        float value = ctx.Float(AttributeKey.Value, 0f);
        string fill = ((PadFill)mode).ToString().ToLowerInvariant();
        if (x.Type == DataType.Float32)
        {
            var plan = new Kernels.Pad.PadPlan(x.Type, ctx.InputPointer(0), ctx.OutputPointer(0), x.Shape, y.Shape, begin, mode, value);
            if (Kernels.KernelTable.ChooseOptimized(Code, x.Type, plan, ctx.Options)?.Create(plan) is { } fast)
            {
                return fast;
            }

            return new PadKernel<float>($"f32-pad-{fill}-ref", (float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), x.Shape, y.Shape,
                begin, mode, value);
        }

        QuantizationInfo q = y.Quantization!;
        sbyte fillValue = QuantMath.QuantizeToInt8(value, q.Scale, q.ZeroPoint);
        if (mode == (int)PadFill.Constant)
        {
            var plan = new Kernels.Pad.PadPlan(DataType.Int8, ctx.InputPointer(0), ctx.OutputPointer(0), x.Shape, y.Shape, begin, mode, fillValue);
            if (KernelTable.ChooseOptimized(OpCode.Pad, DataType.Int8, plan, ctx.Options) is { } row)
            {
                return row.Create(plan);
            }
        }

        return new PadKernel<sbyte>($"s8-pad-{fill}-ref", (sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), x.Shape, y.Shape,
            begin, mode, fillValue);
    }
}

/// <summary>Pad of fp32 or int8 data; the fill value is already in the output's type.</summary>
internal sealed unsafe class PadKernel<T>(string name, T* input, T* output, int[] inShape, int[] outShape, int[] padBegin, int mode, T fill)
    : Kernel
    where T : unmanaged
{
    private readonly int _inCount = (int)ShapeMath.ElementCount(inShape);
    private readonly int _outCount = (int)ShapeMath.ElementCount(outShape);

    public override string Name => name;

    public override void Run() =>
        PadKernels.Pad(new ReadOnlySpan<T>(input, _inCount), new Span<T>(output, _outCount), inShape, outShape, padBegin, mode, fill);
}
