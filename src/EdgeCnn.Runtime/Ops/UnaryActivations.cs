using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// An element-wise activation y = f(x) with scalar attributes. fp32 applies f; int8 looks up the table
/// quantize_out(f(dequantize_in(q))) built at Plan. Output has the input's shape; it may overwrite its input.
/// </summary>
internal sealed class UnaryActivation : Operator
{
    private readonly Func<NodeContext, Func<float, float>> _function;

    public UnaryActivation(OpCode code, AttributeKey[] attributes, Func<NodeContext, Func<float, float>> function)
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
        Func<float, float> f = _function(ctx);
        string name = Code.ToString().ToLowerInvariant();
        if (x.Type == DataType.Float32)
        {
            return new UnaryF32Kernel($"f32-{name}-ref", (float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0), count, f);
        }

        QuantizationInfo qi = x.Quantization!;
        QuantizationInfo qo = ctx.Output(0).Quantization!;
        sbyte[] table = QuantMath.BuildLookupTable(f, qi.Scale, qi.ZeroPoint, qo.Scale, qo.ZeroPoint);
        return new UnaryS8LookupKernel($"s8-{name}-lut-ref", (sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), count, table);
    }
}

public static partial class OpRegistry
{
    static partial void RegisterActivations(List<Operator> ops)
    {
        ops.Add(new UnaryActivation(OpCode.Relu, [], _ => ScalarFunctions.Relu));
        ops.Add(new UnaryActivation(OpCode.Clip, [AttributeKey.Min, AttributeKey.Max], c =>
        {
            float min = c.Float(AttributeKey.Min, float.NegativeInfinity), max = c.Float(AttributeKey.Max, float.PositiveInfinity);
            // min > max is allowed: ONNX defines every output as max then.
            return x => ScalarFunctions.Clip(x, min, max);
        }));
        ops.Add(new UnaryActivation(OpCode.LeakyRelu, [AttributeKey.Alpha], c =>
        {
            float a = c.Float(AttributeKey.Alpha, 0.01f);
            return x => ScalarFunctions.LeakyRelu(x, a);
        }));
        ops.Add(new UnaryActivation(OpCode.Elu, [AttributeKey.Alpha], c =>
        {
            float a = c.Float(AttributeKey.Alpha, 1f);
            return x => ScalarFunctions.Elu(x, a);
        }));
        ops.Add(new UnaryActivation(OpCode.Selu, [AttributeKey.Alpha, AttributeKey.Gamma], c =>
        {
            float a = c.Float(AttributeKey.Alpha, 1.67326319217681884765625f), g = c.Float(AttributeKey.Gamma, 1.05070102214813232421875f);
            return x => ScalarFunctions.Selu(x, a, g);
        }));
        ops.Add(new UnaryActivation(OpCode.Sigmoid, [], _ => ScalarFunctions.Sigmoid));
        ops.Add(new UnaryActivation(OpCode.Tanh, [], _ => ScalarFunctions.Tanh));
        ops.Add(new UnaryActivation(OpCode.Softplus, [], _ => ScalarFunctions.Softplus));
        ops.Add(new UnaryActivation(OpCode.HardSigmoid, [AttributeKey.Alpha, AttributeKey.Beta], c =>
        {
            float a = c.Float(AttributeKey.Alpha, 0.2f), b = c.Float(AttributeKey.Beta, 0.5f);
            return x => ScalarFunctions.HardSigmoid(x, a, b);
        }));
        ops.Add(new UnaryActivation(OpCode.HardSwish, [], _ => ScalarFunctions.HardSwish));
        ops.Add(new UnaryActivation(OpCode.Silu, [], _ => ScalarFunctions.Silu));
    }
}
