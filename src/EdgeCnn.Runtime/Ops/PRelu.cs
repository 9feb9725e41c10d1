using System.Runtime.CompilerServices;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// PRelu: y = x &lt; 0 ? slope * x : x, the slope unidirectionally broadcast to x (typically [C] for channels-last).
/// fp32 x takes an fp32 slope (constant or not). int8 x (per-tensor) is via fp32 and takes either an fp32 slope, or an
/// int8 constant slope quantized per tensor or per axis (any axis of the slope), dequantized once at Plan.
/// </summary>
internal sealed class PRelu : Operator
{
    public override OpCode Code => OpCode.PRelu;

    public override int MinInputs => 2;

    public override int MaxInputs => 2;

    public override OutputAliasing Aliasing => OutputAliasing.InPlace;

    public override IReadOnlyList<AttributeKey> Attributes => [];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        TensorDesc slope = x.Type == DataType.Float32
            ? ctx.RequireType(1, DataType.Float32)
            : ctx.RequireType(1, DataType.Float32, DataType.Int8);
        if (x.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(x, "input");
        }

        if (slope.Type == DataType.Int8)
        {
            ctx.RequireConstant(1);
            if (slope.Quantization is null)
            {
                throw ctx.Fail($"int8 slope '{slope.Name}' needs a quantization");
            }
        }

        int[]? shape = Broadcast.Shape(x.Shape, slope.Shape);
        if (shape is null || !ShapeMath.SameShape(shape, x.Shape))
        {
            throw ctx.Fail($"slope {ShapeMath.Format(slope.Shape)} does not broadcast to x {ShapeMath.Format(x.Shape)} (unidirectionally)");
        }

        ctx.SetOutput(0, x.Type, (int[])x.Shape.Clone());
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0), slope = ctx.Input(1), y = ctx.Output(0);
        BroadcastLayout layout = Broadcast.Layout(y.Shape, x.Shape, slope.Shape);
        int nx = (int)x.ElementCount, ns = (int)slope.ElementCount;
        if (x.Type == DataType.Float32)
        {
            return new BroadcastKernel<float, float, float, PReluF32>("f32-prelu-ref", (float*)ctx.InputPointer(0), nx,
                (float*)ctx.InputPointer(1), ns, (float*)ctx.OutputPointer(0), nx, layout, default);
        }

        QuantizationInfo qx = x.Quantization!, qy = y.Quantization!;
        var op = new PReluS8(qx.Scale, qx.ZeroPoint, qy.Scale, qy.ZeroPoint);
        if (slope.Type == DataType.Float32)
        {
            return new BroadcastKernel<sbyte, float, sbyte, PReluS8>("s8-prelu-viaf32-ref", (sbyte*)ctx.InputPointer(0), nx,
                (float*)ctx.InputPointer(1), ns, (sbyte*)ctx.OutputPointer(0), nx, layout, op);
        }

        // Pinned (POH) so the kernel can hold a raw pointer to it; the kernel keeps the array alive.
        float[] real = GC.AllocateArray<float>(ns, pinned: true);
        DequantizeSlope(ctx.ConstantInput<sbyte>(1), slope.Shape, slope.Quantization!, real);
        return new BroadcastKernel<sbyte, float, sbyte, PReluS8>("s8-prelu-s8slope-viaf32-ref", (sbyte*)ctx.InputPointer(0), nx,
            (float*)Unsafe.AsPointer(ref real[0]), ns, (sbyte*)ctx.OutputPointer(0), nx, layout, op, keepAlive: real);
    }

    /// <summary>real[i] = s[c] * (q[i] - z[c]) with c the index of element i along the quantization axis (0 per tensor).</summary>
    private static void DequantizeSlope(ReadOnlySpan<sbyte> q, int[] shape, QuantizationInfo quant, Span<float> real)
    {
        int inner = 1, channels = 1;
        if (!quant.IsPerTensor)
        {
            channels = shape[quant.Axis];
            inner = (int)ShapeMath.ElementCount(shape.AsSpan(quant.Axis + 1));
        }

        for (int i = 0; i < q.Length; i++)
        {
            int c = i / inner % channels;
            real[i] = QuantMath.Dequantize(q[i], quant.Scales[c], quant.ZeroPoints[c]);
        }
    }
}
