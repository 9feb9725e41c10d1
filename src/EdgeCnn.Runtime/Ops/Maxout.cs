using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Maxout (Goodfellow et al. 2013) over the last axis: [.., C] -> [.., C / k], y[.., c] = max_{j &lt; k} x[.., c * k + j].
/// int8: max of q, then requantized to the output quantization (exact identity when it equals the input's).
/// </summary>
internal sealed class MaxoutOp : Operator
{
    public override OpCode Code => OpCode.Maxout;

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override IReadOnlyList<AttributeKey> Attributes { get; } = [AttributeKey.GroupSize];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        if (x.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(x, "input");
        }

        int c = x.Shape.Length > 0 ? x.Shape[^1] : throw ctx.Fail("input must have at least one axis (channels)");
        int k = ctx.Int(AttributeKey.GroupSize, 0);
        if (k < 1)
        {
            throw ctx.Fail($"GroupSize must be given and >= 1, is {k}");
        }

        if (c % k != 0)
        {
            throw ctx.Fail($"GroupSize {k} does not divide the {c} channels of the last axis");
        }

        int[] shape = (int[])x.Shape.Clone();
        shape[^1] = c / k;
        ctx.SetOutput(0, x.Type, shape);
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0);
        int k = ctx.Int(AttributeKey.GroupSize, 0);
        int inCount = (int)x.ElementCount, outCount = inCount / k;
        if (x.Type == DataType.Float32)
        {
            return new MaxoutF32Kernel((float*)ctx.InputPointer(0), inCount, (float*)ctx.OutputPointer(0), outCount, k);
        }

        var qi = x.Quantization!;
        var qo = ctx.Output(0).Quantization!;
        (int m, int shift) = FixedPoint.QuantizeMultiplier((double)qi.Scale / qo.Scale);
        return new MaxoutS8Kernel((sbyte*)ctx.InputPointer(0), inCount, (sbyte*)ctx.OutputPointer(0), outCount, k, qi.ZeroPoint,
            qo.ZeroPoint, m, shift);
    }
}

internal sealed unsafe class MaxoutF32Kernel(float* input, int inputCount, float* output, int outputCount, int groupSize) : Kernel
{
    public override string Name => "f32-maxout-ref";

    public override void Run() => NormalizationKernels.MaxoutFloat32(new ReadOnlySpan<float>(input, inputCount),
        new Span<float>(output, outputCount), groupSize);
}

internal sealed unsafe class MaxoutS8Kernel(sbyte* input, int inputCount, sbyte* output, int outputCount, int groupSize,
    int inZeroPoint, int outZeroPoint, int multiplier, int shift) : Kernel
{
    public override string Name => "s8-maxout-ref";

    public override void Run() => NormalizationKernels.MaxoutInt8(new ReadOnlySpan<sbyte>(input, inputCount),
        new Span<sbyte>(output, outputCount), groupSize, inZeroPoint, outZeroPoint, multiplier, shift);
}
