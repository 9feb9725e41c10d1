using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Transpose;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// ONNX Transpose: output axis k is input axis Perm[k] (default: reversed axes). Rank 1..6, fp32 or int8 (quantization kept).
/// </summary>
internal sealed class TransposeOperator : Operator
{
    public override OpCode Code => OpCode.Transpose;

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override IReadOnlyList<AttributeKey> Attributes { get; } = [AttributeKey.Perm];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ShapeRules.RequireData(ctx, 0);
        ShapeRules.RequireSameQuantization(ctx, x);
        int[] perm = Perm(ctx, x.Shape.Length);
        var shape = new int[perm.Length];
        for (int k = 0; k < perm.Length; k++)
        {
            shape[k] = x.Shape[perm[k]];
        }

        ctx.SetOutput(0, x.Type, shape);
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0);
        int[] perm = Perm(ctx, x.Shape.Length);
        int[] shape = (int[])x.Shape.Clone();
        int count = (int)x.ElementCount;
        var plan = new TransposePlan(x.Type, ctx.InputPointer(0), ctx.OutputPointer(0), shape, perm);
        if (KernelTable.ChooseOptimized(Code, x.Type, plan, ctx.Options)?.Create(plan) is { } fast)
        {
            return fast;
        }

        return x.Type == DataType.Float32
            ? new TransposeKernel<float>("f32-transpose-ref", (float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), count, shape, perm)
            : new TransposeKernel<sbyte>("s8-transpose-ref", (sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), count, shape, perm);
    }

    private static int[] Perm(NodeContext ctx, int rank)
    {
        int[]? perm = ctx.Ints(AttributeKey.Perm, null);
        if (perm is null)
        {
            perm = new int[rank];
            for (int k = 0; k < rank; k++)
            {
                perm[k] = rank - 1 - k;
            }

            return perm;
        }

        if (perm.Length != rank)
        {
            throw ctx.Fail($"perm {ShapeMath.Format(perm)} has {perm.Length} entries; the input has rank {rank}");
        }

        var seen = new bool[rank];
        foreach (int p in perm)
        {
            if (p < 0 || p >= rank || seen[p])
            {
                throw ctx.Fail($"perm {ShapeMath.Format(perm)} is not a permutation of 0..{rank - 1}");
            }

            seen[p] = true;
        }

        return (int[])perm.Clone();
    }
}

/// <summary>Transpose of fp32 or int8 data (only bytes move, so one generic kernel serves both).</summary>
internal sealed unsafe class TransposeKernel<T>(string name, T* input, T* output, int count, int[] inShape, int[] perm) : Kernel
    where T : unmanaged
{
    public override string Name => name;

    public override void Run() =>
        TransposeKernels.Transpose(new ReadOnlySpan<T>(input, count), new Span<T>(output, count), inShape, perm);
}
