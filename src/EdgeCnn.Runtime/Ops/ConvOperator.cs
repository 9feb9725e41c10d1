using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Conv: x [N, spatial (1..3 axes)..., C], weights constant OHWI [O, k..., C / Group], optional bias [O] (fp32, or int32 for
/// int8). Output [N, out..., O] with ONNX geometry (explicit pads or SAME_UPPER / SAME_LOWER / VALID, no ceil mode).
/// </summary>
internal sealed class ConvOperator : Operator
{
    private static readonly AttributeKey[] s_attributes =
    [
        AttributeKey.Strides, AttributeKey.Dilations, AttributeKey.Pads, AttributeKey.PadMode, AttributeKey.Group,
        .. ConvSupport.ActivationKeys,
    ];

    public override OpCode Code => OpCode.Conv;

    public override int MinInputs => 2;

    public override int MaxInputs => 3;

    public override IReadOnlyList<AttributeKey> Attributes => s_attributes;

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        ctx.RequireRank(0, 3, 5);
        int rank = x.Shape.Length;
        TensorDesc w = ConvSupport.RequireWeights(ctx, x, rank);
        (SpatialGeometry geo, int group) = Resolve(ctx, x, w);
        int outC = w.Shape[0];
        bool int8 = x.Type == DataType.Int8;
        ConvSupport.ReadActivation(ctx, int8);
        ConvSupport.CheckBias(ctx, x, [outC]);
        if (int8)
        {
            ConvSupport.CheckInt8(ctx, x, w, 0, outC, ShapeMath.ElementCount(w.Shape) / outC);
        }

        ctx.SetOutput(0, x.Type, [x.Shape[0], .. geo.Output, outC]);
    }

    public override Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0), w = ctx.Input(1);
        (SpatialGeometry geo, int group) = Resolve(ctx, x, w);
        int outC = w.Shape[0];
        ConvGeometry g = ConvSupport.Geometry(x.Shape[0], geo.Input, x.Shape[^1], geo.Output, outC, geo.Kernel, geo.Strides,
            geo.Dilations, geo.PadBegin, group);
        ConvTensors t = ConvTensorsFactory.From(ctx);
        string name = $"conv{geo.Rank}d{(group == 1 ? string.Empty : group == x.Shape[^1] && outC == group ? "-dw" : "-g")}-ref";
        if (x.Type == DataType.Float32)
        {
            var f32 = new ConvF32Plan(t, g, ConvSupport.ReadActivation(ctx, false), "f32-" + name, ctx.Pool);
            return KernelTable.Choose(OpCode.Conv, DataType.Float32, f32, ctx.Options).Create(f32);
        }

        var s8 = new ConvS8Plan(t, g, ConvSupport.BuildRequant(ctx, outC, ConvSupport.ReadActivation(ctx, true)), "s8-" + name, ctx.Pool);
        return KernelTable.Choose(OpCode.Conv, DataType.Int8, s8, ctx.Options).Create(s8);
    }

    private static (SpatialGeometry Geometry, int Group) Resolve(NodeContext ctx, TensorDesc x, TensorDesc w)
    {
        int rank = x.Shape.Length;
        int c = x.Shape[^1], outC = w.Shape[0];
        int group = ctx.Int(AttributeKey.Group, 1);
        if (group < 1)
        {
            throw ctx.Fail($"group must be >= 1, is {group}");
        }

        if (c % group != 0 || outC % group != 0)
        {
            throw ctx.Fail($"input channels {c} and output channels {outC} must both be divisible by group {group}");
        }

        if (w.Shape[^1] != c / group)
        {
            throw ctx.Fail($"weights '{w.Name}' {ShapeMath.Format(w.Shape)} have {w.Shape[^1]} input channels; " +
                $"input has {c} channels in {group} group(s), so {c / group} expected");
        }

        SpatialGeometry geo = SpatialGeometry.FromNode(ctx, x.Shape[1..^1], w.Shape[1..^1], allowCeilMode: false);
        ConvSupport.RequireIntCount(ctx, [x.Shape[0], .. geo.Output, outC], "output");
        return (geo, group);
    }
}
