using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Dense (fully connected): x [..., K] (rank >= 2), weights constant [O, K], optional bias [O]; y [..., O] =
/// act(x W^T + bias) over every leading index.
/// </summary>
internal sealed class DenseOperator : Operator
{
    public override OpCode Code => OpCode.Dense;

    public override int MinInputs => 2;

    public override int MaxInputs => 3;

    public override IReadOnlyList<AttributeKey> Attributes => ConvSupport.ActivationKeys;

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        ctx.RequireRank(0, 2, Format.FormatLayout.MaxRank);
        TensorDesc w = ConvSupport.RequireWeights(ctx, x, 2);
        int k = x.Shape[^1], outC = w.Shape[0];
        if (w.Shape[1] != k)
        {
            throw ctx.Fail($"weights '{w.Name}' {ShapeMath.Format(w.Shape)} have {w.Shape[1]} inputs; the input's last dim is {k}");
        }

        bool int8 = x.Type == DataType.Int8;
        ConvSupport.ReadActivation(ctx, int8);
        ConvSupport.CheckBias(ctx, x, [outC]);
        if (int8)
        {
            ConvSupport.CheckInt8(ctx, x, w, 0, outC, k);
        }

        int[] shape = [.. x.Shape[..^1], outC];
        ConvSupport.RequireIntCount(ctx, x.Shape, "input");
        ConvSupport.RequireIntCount(ctx, w.Shape, "weights");
        ConvSupport.RequireIntCount(ctx, shape, "output");
        ctx.SetOutput(0, x.Type, shape);
    }

    public override Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0), w = ctx.Input(1);
        int k = x.Shape[^1], outC = w.Shape[0];
        int rows = checked((int)(x.ElementCount / k));
        ConvTensors t = ConvTensorsFactory.From(ctx);
        // Dense is a 1x1 convolution over `rows` pixels of K channels: the conv plans and GEMM kernels serve it unchanged.
        var g = new ConvGeometry { Batch = rows, InC = k, OutC = outC };
        if (x.Type == DataType.Float32)
        {
            var f32 = new ConvF32Plan(t, g, ConvSupport.ReadActivation(ctx, false), "f32-dense-ref", ctx.Pool);
            return KernelTable.Choose(OpCode.Dense, DataType.Float32, f32, ctx.Options).Create(f32);
        }

        var s8 = new ConvS8Plan(t, g, ConvSupport.BuildRequant(ctx, outC, ConvSupport.ReadActivation(ctx, true)), "s8-dense-ref", ctx.Pool);
        return KernelTable.Choose(OpCode.Dense, DataType.Int8, s8, ctx.Options).Create(s8);
    }
}
