using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// An element-wise activation y = f(x) with scalar attributes. fp32 applies f; int8 looks up the table
/// quantize_out(f(dequantize_in(q))) built at Plan. Output has the input's shape; it may overwrite its input.
/// </summary>
internal sealed class UnaryActivation<TFunction> : Operator
    where TFunction : struct, IUnaryFunction
{
    private readonly Func<NodeContext, TFunction> _function;

    public UnaryActivation(OpCode code, AttributeKey[] attributes, Func<NodeContext, TFunction> function)
    {
        Code = code;
        Attributes = attributes;
        _function = function;
    }

    public override OpCode Code { get; }

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override OutputAliasing Aliasing => OutputAliasing.InPlace;

    public override IReadOnlyList<AttributeKey> Attributes { get; }

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        if (x.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(x, "input");
        }

        ctx.SetOutput(0, x.Type, (int[])x.Shape.Clone());
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0);
        int count = (int)x.ElementCount;
        TFunction f = _function(ctx);
        string name = Code.ToString().ToLowerInvariant();
        if (x.Type == DataType.Float32)
        {
            var plan = new UnaryF32Plan((float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), count, ctx);
            return KernelTable.ChooseOptimized(Code, DataType.Float32, plan, ctx.Options)?.Create(plan)
                ?? new UnaryF32Kernel<TFunction>($"f32-{name}-ref", (float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), count, f);
        }

        QuantizationInfo qi = x.Quantization!;
        QuantizationInfo qo = ctx.Output(0).Quantization!;
        sbyte[] table = QuantMath.BuildLookupTable(f.Invoke, qi.Scale, qi.ZeroPoint, qo.Scale, qo.ZeroPoint);
        var lut = new Kernels.Int8.S8LutPlan((sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), count, table);
        if (KernelTable.ChooseOptimized(Code, DataType.Int8, lut, ctx.Options) is { } row)
        {
            return row.Create(lut);
        }

        return new UnaryS8LookupKernel($"s8-{name}-lut-ref", (sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), count, table);
    }
}

public static partial class OpRegistry
{
    static partial void RegisterActivations(List<Operator> ops)
    {
        ops.Add(new UnaryActivation<ReluFunction>(OpCode.Relu, [], _ => default));
        // min > max is allowed: ONNX defines every output as max then.
        ops.Add(new UnaryActivation<ClipFunction>(OpCode.Clip, [AttributeKey.Min, AttributeKey.Max],
            c => new ClipFunction(c.Float(AttributeKey.Min, float.NegativeInfinity), c.Float(AttributeKey.Max, float.PositiveInfinity))));
        ops.Add(new UnaryActivation<LeakyReluFunction>(OpCode.LeakyRelu, [AttributeKey.Alpha], c => new LeakyReluFunction(c.Float(AttributeKey.Alpha, 0.01f))));
        ops.Add(new UnaryActivation<EluFunction>(OpCode.Elu, [AttributeKey.Alpha], c => new EluFunction(c.Float(AttributeKey.Alpha, 1f))));
        ops.Add(new UnaryActivation<SeluFunction>(OpCode.Selu, [AttributeKey.Alpha, AttributeKey.Gamma],
            c => new SeluFunction(c.Float(AttributeKey.Alpha, 1.67326319217681884765625f), c.Float(AttributeKey.Gamma, 1.05070102214813232421875f))));
        ops.Add(new UnaryActivation<SigmoidFunction>(OpCode.Sigmoid, [], _ => default));
        ops.Add(new UnaryActivation<TanhFunction>(OpCode.Tanh, [], _ => default));
        ops.Add(new UnaryActivation<SoftplusFunction>(OpCode.Softplus, [], _ => default));
        ops.Add(new UnaryActivation<HardSigmoidFunction>(OpCode.HardSigmoid, [AttributeKey.Alpha, AttributeKey.Beta],
            c => new HardSigmoidFunction(c.Float(AttributeKey.Alpha, 0.2f), c.Float(AttributeKey.Beta, 0.5f))));
        ops.Add(new UnaryActivation<HardSwishFunction>(OpCode.HardSwish, [], _ => default));
        ops.Add(new UnaryActivation<SiluFunction>(OpCode.Silu, [], _ => default));
        ops.Add(new UnaryActivation<ExpFunction>(OpCode.Exp, [], _ => default));
    }
}
