using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Quantize: fp32 to int8 with the output's per-tensor (scale, zero point). Per-axis output quantization is not offered:
/// the graph rules keep every int8 activation per-tensor, so no node could consume it.
/// </summary>
internal sealed class Quantize : Operator
{
    public override OpCode Code => OpCode.Quantize;

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override IReadOnlyList<AttributeKey> Attributes => [];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32);
        if (ctx.DeclaredOutput(0) is { } declared && declared.Quantization is not { IsPerTensor: true })
        {
            throw ctx.Fail($"output '{declared.Name}' needs a per-tensor int8 quantization");
        }

        ctx.SetOutput(0, DataType.Int8, (int[])x.Shape.Clone());
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        var q = ctx.Output(0).Quantization!;
        var plan = new Kernels.Int8.S8QuantizePlan((float*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), (int)ctx.Input(0).ElementCount,
            q.Scale, q.ZeroPoint);
        return Kernels.KernelTable.ChooseOptimized(OpCode.Quantize, DataType.Float32, plan, ctx.Options)?.Create(plan)
            ?? new QuantizeKernel((float*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), (int)ctx.Input(0).ElementCount, q.Scale, q.ZeroPoint);
    }
}

/// <summary>
/// Dequantize: int8 or int32 (bias-like) to fp32 with the input's quantization, per tensor or per axis (any axis).
/// </summary>
internal sealed class Dequantize : Operator
{
    public override OpCode Code => OpCode.Dequantize;

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override IReadOnlyList<AttributeKey> Attributes => [];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Int8, DataType.Int32);
        if (x.Quantization is not { } q)
        {
            throw ctx.Fail($"input '{x.Name}' has no quantization to dequantize with");
        }

        if (!q.IsPerTensor && (q.Axis >= x.Shape.Length || q.Scales.Length != x.Shape[q.Axis]))
        {
            throw ctx.Fail($"input '{x.Name}': per-axis quantization over axis {q.Axis} does not match shape {ShapeMath.Format(x.Shape)}");
        }

        ctx.SetOutput(0, DataType.Float32, (int[])x.Shape.Clone());
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0);
        QuantizationInfo q = x.Quantization!;
        int channels = 1, inner = (int)x.ElementCount;
        if (!q.IsPerTensor)
        {
            channels = x.Shape[q.Axis];
            inner = (int)ShapeMath.ElementCount(x.Shape.AsSpan(q.Axis + 1));
        }

        int count = (int)x.ElementCount;
        var y = (float*)ctx.OutputPointer(0);
        if (x.Type == DataType.Int8)
        {
            var plan = new Kernels.Int8.S8DequantizePlan((sbyte*)ctx.InputPointer(0), y, count, q.IsPerTensor, q.Scales[0], q.ZeroPoints[0]);
            if (Kernels.KernelTable.ChooseOptimized(OpCode.Dequantize, DataType.Int8, plan, ctx.Options) is { } fast)
            {
                return fast.Create(plan);
            }
        }

        return x.Type == DataType.Int8
            ? new DequantizeKernel<sbyte>("s8-f32-dequantize-ref", (sbyte*)ctx.InputPointer(0), y, count, channels, inner, q)
            : new DequantizeKernel<int>("s32-f32-dequantize-ref", (int*)ctx.InputPointer(0), y, count, channels, inner, q);
    }
}

internal sealed unsafe class QuantizeKernel(float* x, sbyte* y, int count, float scale, int zeroPoint) : Kernel
{
    public override string Name => "f32-s8-quantize-ref";

    public override void Run() => QuantizeKernels.Quantize(new ReadOnlySpan<float>(x, count), new Span<sbyte>(y, count), scale, zeroPoint);
}

internal sealed unsafe class DequantizeKernel<T>(string name, T* q, float* y, int count, int channels, int inner, QuantizationInfo quant) : Kernel
    where T : unmanaged, System.Numerics.IBinaryInteger<T>
{
    private readonly float[] _scales = quant.Scales;         // [channels]
    private readonly int[] _zeroPoints = quant.ZeroPoints;   // [channels]

    public override string Name => name;

    public override void Run() => QuantizeKernels.Dequantize(new ReadOnlySpan<T>(q, count), new Span<float>(y, count), channels, inner,
        _scales, _zeroPoints);
}
