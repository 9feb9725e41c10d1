using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Vector;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Inference batch normalization over the last (channel) axis of x [N, .., C]:
/// y = scale * (x - mean) / sqrt(var + eps) + bias, folded at Plan into y = a[c] * x + b[c].
/// Inputs 1..4 are constant fp32 [C]: scale, bias, mean, var. int8: via fp32 with the folded a, b.
/// </summary>
internal sealed class BatchNormOp : Operator
{
    private static readonly string[] s_parameterNames = ["scale", "bias", "mean", "var"];

    public override OpCode Code => OpCode.BatchNorm;

    public override int MinInputs => 5;

    public override int MaxInputs => 5;

    public override OutputAliasing Aliasing => OutputAliasing.InPlace;

    public override IReadOnlyList<AttributeKey> Attributes { get; } = [AttributeKey.Epsilon];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        ctx.RequireRank(0, 2, Format.FormatLayout.MaxRank);
        if (x.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(x, "input");
        }

        int c = x.Shape[^1];
        for (int i = 1; i <= 4; i++)
        {
            TensorDesc p = ctx.RequireConstant(i);
            ctx.RequireType(i, DataType.Float32);
            if (p.Shape.Length != 1 || p.Shape[0] != c)
            {
                throw ctx.Fail($"{s_parameterNames[i - 1]} '{p.Name}' has shape {ShapeMath.Format(p.Shape)}; [{c}] expected (one per channel of the last axis)");
            }
        }

        float eps = ctx.Float(AttributeKey.Epsilon, 1e-5f);
        if (!float.IsFinite(eps) || eps < 0f)
        {
            throw ctx.Fail($"Epsilon must be finite and >= 0, is {eps}");
        }

        ctx.SetOutput(0, x.Type, (int[])x.Shape.Clone());
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0);
        int c = x.Shape[^1];
        ReadOnlySpan<float> scale = ctx.ConstantInput<float>(1), bias = ctx.ConstantInput<float>(2);
        ReadOnlySpan<float> mean = ctx.ConstantInput<float>(3), variance = ctx.ConstantInput<float>(4);
        double eps = ctx.Float(AttributeKey.Epsilon, 1e-5f);
        var a = new float[c]; // [C] multiplier
        var b = new float[c]; // [C] offset
        for (int ch = 0; ch < c; ch++)
        {
            // Folded in double so a and b are the correctly rounded fp32 values of the exact fold.
            double ad = scale[ch] / Math.Sqrt(variance[ch] + eps);
            a[ch] = (float)ad;
            b[ch] = (float)(bias[ch] - (ad * mean[ch]));
        }

        int count = (int)x.ElementCount;
        if (x.Type == DataType.Float32)
        {
            var plan = new BatchNormF32Plan((float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), count, a, b);
            if (KernelTable.ChooseOptimized(Code, DataType.Float32, plan, ctx.Options)?.Create(plan) is { } fast)
            {
                return fast;
            }

            return new BatchNormF32Kernel((float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), count, a, b);
        }

        var qi = x.Quantization!;
        var qo = ctx.Output(0).Quantization!;
        return new BatchNormS8Kernel((sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), count, a, b, qi.Scale, qi.ZeroPoint,
            qo.Scale, qo.ZeroPoint);
    }
}

internal sealed unsafe class BatchNormF32Kernel(float* input, float* output, int count, float[] a, float[] b) : Kernel
{
    public override string Name => "f32-batchnorm-ref";

    public override void Run() =>
        NormalizationKernels.BatchNormFloat32(new ReadOnlySpan<float>(input, count), new Span<float>(output, count), a, b);
}

internal sealed unsafe class BatchNormS8Kernel(sbyte* input, sbyte* output, int count, float[] a, float[] b, float inScale,
    int inZeroPoint, float outScale, int outZeroPoint) : Kernel
{
    public override string Name => "s8-batchnorm-viaf32-ref";

    public override void Run() => NormalizationKernels.BatchNormInt8(new ReadOnlySpan<sbyte>(input, count),
        new Span<sbyte>(output, count), a, b, inScale, inZeroPoint, outScale, outZeroPoint);
}
