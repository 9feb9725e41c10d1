using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Softmax and LogSoftmax along one axis (Axis, default -1, negative counts from the end) of a tensor of any rank, with the
/// max subtracted for stability. int8: via fp32.
/// </summary>
internal sealed class SoftmaxOp(OpCode code, bool log) : Operator
{
    public override OpCode Code { get; } = code;

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override OutputAliasing Aliasing => OutputAliasing.InPlace;

    public override IReadOnlyList<AttributeKey> Attributes { get; } = [AttributeKey.Axis];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        if (x.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(x, "input");
        }

        _ = ResolveAxis(ctx, x);
        ctx.SetOutput(0, x.Type, (int[])x.Shape.Clone());
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0);
        int axis = ResolveAxis(ctx, x);
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= x.Shape[d];
        }

        for (int d = axis + 1; d < x.Shape.Length; d++)
        {
            inner *= x.Shape[d];
        }

        int length = x.Shape[axis], count = (int)x.ElementCount;
        string name = log ? "logsoftmax" : "softmax";
        if (x.Type == DataType.Float32)
        {
            var plan = new SoftmaxF32Plan((float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), outer, length, inner, log);
            Kernel? fast = KernelTable.ChooseOptimized(Code, DataType.Float32, plan, ctx.Options)?.Create(plan);
            return fast ?? new SoftmaxF32Kernel($"f32-{name}-ref", (float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), count, outer,
                length, inner, log);
        }

        var qi = x.Quantization!;
        var qo = ctx.Output(0).Quantization!;
        var s8 = new Kernels.Int8.S8SoftmaxPlan((sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), outer, length, inner, log,
            qi.Scale, qi.ZeroPoint, qo.Scale, qo.ZeroPoint);
        if (KernelTable.ChooseOptimized(Code, DataType.Int8, s8, ctx.Options) is { } row)
        {
            return row.Create(s8);
        }

        return new SoftmaxS8Kernel($"s8-{name}-viaf32-ref", (sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), count, outer,
            length, inner, log, qi.Scale, qi.ZeroPoint, qo.Scale, qo.ZeroPoint);
    }

    private static int ResolveAxis(NodeContext ctx, TensorDesc x)
    {
        int rank = x.Shape.Length;
        int axis = ctx.Int(AttributeKey.Axis, -1);
        if (axis < -rank || axis >= rank)
        {
            throw ctx.Fail($"axis {axis} is out of range for rank {rank} (allowed {-rank}..{rank - 1})");
        }

        return axis < 0 ? axis + rank : axis;
    }
}

internal sealed unsafe class SoftmaxF32Kernel(string name, float* input, float* output, int count, int outer, int length, int inner,
    bool log) : Kernel
{
    public override string Name => name;

    public override void Run() => NormalizationKernels.SoftmaxFloat32(new ReadOnlySpan<float>(input, count),
        new Span<float>(output, count), outer, length, inner, log);
}

internal sealed unsafe class SoftmaxS8Kernel(string name, sbyte* input, sbyte* output, int count, int outer, int length, int inner,
    bool log, float inScale, int inZeroPoint, float outScale, int outZeroPoint) : Kernel
{
    public override string Name => name;

    public override void Run() => NormalizationKernels.SoftmaxInt8(new ReadOnlySpan<sbyte>(input, count),
        new Span<sbyte>(output, count), outer, length, inner, log, inScale, inZeroPoint, outScale, outZeroPoint);
}
