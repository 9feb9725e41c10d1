using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// ONNX Concat along Axis (negative allowed): N >= 1 inputs of one rank and type, equal dims except on the axis. int8 inputs
/// quantized like the output are copied; others are requantized to the output's scale and zero point in fixed point.
/// </summary>
internal sealed class ConcatOperator : Operator
{
    public override OpCode Code => OpCode.Concat;

    public override int MinInputs => 1;

    public override int MaxInputs => 256;

    public override IReadOnlyList<AttributeKey> Attributes { get; } = [AttributeKey.Axis];

    public override void Infer(InferContext ctx)
    {
        TensorDesc first = ShapeRules.RequireData(ctx, 0);
        int rank = first.Shape.Length;
        if (rank == 0)
        {
            throw ctx.Fail("concat needs inputs of rank >= 1");
        }

        int axis = ShapeRules.Axis(ctx, ctx.Int(AttributeKey.Axis, 0), rank, "concat axis");
        var shape = (int[])first.Shape.Clone();
        long total = first.Shape[axis];
        for (int i = 1; i < ctx.InputCount; i++)
        {
            TensorDesc x = ShapeRules.RequireData(ctx, i);
            if (x.Type != first.Type)
            {
                throw ctx.Fail($"input {i} '{x.Name}' is {x.Type.Name()}; input 0 is {first.Type.Name()}");
            }

            if (x.Shape.Length != rank)
            {
                throw ctx.Fail($"input {i} '{x.Name}' has rank {x.Shape.Length}; input 0 has rank {rank}");
            }

            for (int d = 0; d < rank; d++)
            {
                if (d != axis && x.Shape[d] != first.Shape[d])
                {
                    throw ctx.Fail($"input {i} '{x.Name}' is {ShapeMath.Format(x.Shape)}; it must match input 0 " +
                        $"{ShapeMath.Format(first.Shape)} on every axis but {axis}");
                }
            }

            total += x.Shape[axis];
        }

        shape[axis] = checked((int)total);
        ctx.SetOutput(0, first.Type, shape);
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc y = ctx.Output(0);
        int axis = ShapeMath.NormalizeAxis(ctx.Int(AttributeKey.Axis, 0), y.Shape.Length);
        int outer = (int)ShapeMath.ElementCount(y.Shape.AsSpan(0, axis));
        int inner = (int)ShapeMath.ElementCount(y.Shape.AsSpan(axis + 1));
        int n = ctx.InputCount;
        var parts = new ConcatPart[n];
        int offset = 0;
        for (int i = 0; i < n; i++)
        {
            TensorDesc x = ctx.Input(i);
            int chunk = x.Shape[axis] * inner;
            parts[i] = new ConcatPart((nint)ctx.InputPointer(i), chunk, offset, false, 0, 0, 0);
            if (y.Type == DataType.Int8)
            {
                QuantizationInfo qx = x.Quantization!, qy = y.Quantization!;
                if (qx.Scale != qy.Scale || qx.ZeroPoint != qy.ZeroPoint)
                {
                    (int m, int shift) = FixedPoint.QuantizeMultiplier((double)qx.Scale / qy.Scale);
                    parts[i] = parts[i] with { Requantize = true, InputZeroPoint = qx.ZeroPoint, Multiplier = m, Shift = shift };
                }
            }

            offset += chunk;
        }

        bool anyRequant = Array.Exists(parts, p => p.Requantize);
        if (y.Type == DataType.Int8 && anyRequant)
        {
            var plan = new Kernels.Int8.S8ConcatPlan((sbyte*)ctx.OutputPointer(0), outer, offset, y.Quantization!.ZeroPoint, Array.ConvertAll(parts,
                p => new Kernels.Int8.S8ConcatPart(p.Data, p.Chunk, p.Offset, p.Requantize, p.InputZeroPoint,
                    p.Requantize ? Kernels.Int8.S8Rescale.From(p.Multiplier, p.Shift) : default)));
            if (Kernels.KernelTable.ChooseOptimized(OpCode.Concat, DataType.Int8, plan, ctx.Options) is { } fast)
            {
                return fast.Create(plan);
            }
        }

        if (y.Type == DataType.Float32)
        {
            var plan = new Kernels.Concat.ConcatF32Plan((float*)ctx.OutputPointer(0), outer, offset, Array.ConvertAll(parts, p => p.Data),
                Array.ConvertAll(parts, p => p.Chunk), Array.ConvertAll(parts, p => p.Offset));
            if (Kernels.KernelTable.ChooseOptimized(OpCode.Concat, DataType.Float32, plan, ctx.Options) is { } fast)
            {
                return fast.Create(plan);
            }
        }

        string name = y.Type == DataType.Float32 ? "f32-concat-ref" : anyRequant ? "s8-concat-requant-ref" : "s8-concat-ref";
        return new ConcatKernel(name, y.Type.SizeInBytes(), (nint)ctx.OutputPointer(0), outer, offset, y.Quantization?.ZeroPoint ?? 0, parts);
    }
}

/// <summary>One input of a concat: where it is, its block size per outer row (elements), where that block lands.</summary>
internal readonly record struct ConcatPart(nint Data, int Chunk, int Offset, bool Requantize, int InputZeroPoint, int Multiplier, int Shift);

/// <summary>Concat of fp32 or int8 inputs; int8 parts whose quantization differs from the output's are requantized.</summary>
internal sealed unsafe class ConcatKernel(string name, int elementBytes, nint output, int outer, int outputChunk, int outputZeroPoint,
    ConcatPart[] parts) : Kernel
{
    public override string Name => name;

    public override void Run()
    {
        int total = outer * outputChunk;
        foreach (ConcatPart p in parts)
        {
            int count = outer * p.Chunk;
            if (elementBytes == 4)
            {
                ConcatKernels.CopySlice(new ReadOnlySpan<float>((void*)p.Data, count), new Span<float>((void*)output, total), outer, p.Chunk,
                    outputChunk, p.Offset);
            }
            else if (!p.Requantize)
            {
                ConcatKernels.CopySlice(new ReadOnlySpan<sbyte>((void*)p.Data, count), new Span<sbyte>((void*)output, total), outer, p.Chunk,
                    outputChunk, p.Offset);
            }
            else
            {
                ConcatKernels.RequantizeSlice(new ReadOnlySpan<sbyte>((void*)p.Data, count), new Span<sbyte>((void*)output, total), outer,
                    p.Chunk, outputChunk, p.Offset, p.InputZeroPoint, outputZeroPoint, p.Multiplier, p.Shift);
            }
        }
    }
}
