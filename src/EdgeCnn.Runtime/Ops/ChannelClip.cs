using System.Numerics;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Per-channel clamp over the last (channel) axis of x [N, .., C]: y[.., c] = min(max(x, lo[c]), hi[c]), NaN passes.
/// Inputs 1, 2 are constant fp32 [C]: lo (may be -inf) and hi (may be +inf), lo[c] &lt;= hi[c]. The converter writes it where
/// a BatchNorm after a ReLU / Clip folds into the layer before them (a * clamp(v, l, h) + b is a clamp of a * v + b with
/// per-channel bounds). int8: the output keeps the input's quantization; the bounds are quantized with it at Plan
/// (QuantMath.ClampRange), so y = clamp(q, Q(lo[c]), Q(hi[c])) exactly.
/// </summary>
internal sealed class ChannelClipOp : Operator
{
    public override OpCode Code => OpCode.ChannelClip;

    public override int MinInputs => 3;

    public override int MaxInputs => 3;

    public override OutputAliasing Aliasing => OutputAliasing.InPlace;

    public override IReadOnlyList<AttributeKey> Attributes { get; } = [];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        ctx.RequireRank(0, 1, Format.FormatLayout.MaxRank);
        if (x.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(x, "input");
            ShapeRules.RequireSameQuantization(ctx, x);
        }

        int c = x.Shape[^1];
        string[] roles = ["lo", "hi"];
        for (int i = 1; i <= 2; i++)
        {
            TensorDesc p = ctx.RequireConstant(i);
            ctx.RequireType(i, DataType.Float32);
            if (p.Shape.Length != 1 || p.Shape[0] != c)
            {
                throw ctx.Fail($"{roles[i - 1]} '{p.Name}' has shape {ShapeMath.Format(p.Shape)}; [{c}] expected (one per channel of the last axis)");
            }
        }

        ctx.SetOutput(0, x.Type, (int[])x.Shape.Clone());
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0);
        ReadOnlySpan<float> lo = ctx.ConstantInput<float>(1), hi = ctx.ConstantInput<float>(2);
        for (int c = 0; c < lo.Length; c++)
        {
            if (!(lo[c] <= hi[c]))
            {
                // Checked here, not at Load: Infer sees no constant values. The message names the node and the tensors.
                throw ctx.Fail($"node '{ctx.Node.Name}' (ChannelClip), channel {c}: lo {lo[c]} ('{ctx.Input(1).Name}') must be <= hi {hi[c]} ('{ctx.Input(2).Name}'), neither NaN");
            }
        }

        int count = (int)x.ElementCount;
        if (x.Type == DataType.Float32)
        {
            return Create(ctx, (float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), count, lo.ToArray(), hi.ToArray());
        }

        QuantizationInfo q = x.Quantization!;
        var qlo = new sbyte[lo.Length];
        var qhi = new sbyte[lo.Length];
        for (int c = 0; c < lo.Length; c++)
        {
            (int l, int h) = QuantMath.ClampRange(lo[c], hi[c], q.Scale, q.ZeroPoint);
            (qlo[c], qhi[c]) = ((sbyte)l, (sbyte)h);
        }

        return Create(ctx, (sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), count, qlo, qhi);
    }

    private unsafe Kernel Create<T>(PlanContext ctx, T* x, T* y, int count, T[] lo, T[] hi)
        where T : unmanaged, IComparisonOperators<T, T, bool>
    {
        var plan = new ChannelClipPlan<T>(x, y, count, lo, hi);
        DataType type = typeof(T) == typeof(float) ? DataType.Float32 : DataType.Int8;
        return KernelTable.ChooseOptimized(Code, type, plan, ctx.Options)?.Create(plan) ?? new ChannelClipKernel<T>(plan);
    }
}

internal sealed unsafe class ChannelClipKernel<T>(ChannelClipPlan<T> plan) : Kernel
    where T : unmanaged, IComparisonOperators<T, T, bool>
{
    public override string Name { get; } = typeof(T) == typeof(float) ? "f32-channelclip-ref" : "s8-channelclip-ref";

    public override void Run() => ChannelClipKernels.Clamp(new ReadOnlySpan<T>(plan.X, plan.Count), new Span<T>(plan.Y, plan.Count), plan.Lo, plan.Hi);
}
