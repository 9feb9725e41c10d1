using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Add, Sub, Mul, Div: y = a op b with numpy broadcasting. Either input may be a constant; both have the same type (fp32,
/// or int8 with per-tensor quantization). int8 Add/Sub/Mul follow TFLite's integer arithmetic bit for bit; int8 Div is via
/// fp32. The output may overwrite input 0 (when it has the output's shape: the planner checks the byte sizes).
/// </summary>
internal sealed class BinaryArithmetic(OpCode code) : Operator
{
    public override OpCode Code { get; } = code;

    public override int MinInputs => 2;

    public override int MaxInputs => 2;

    public override OutputAliasing Aliasing => OutputAliasing.InPlace;

    public override IReadOnlyList<AttributeKey> Attributes => [];

    public override void Infer(InferContext ctx)
    {
        TensorDesc a = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        TensorDesc b = ctx.RequireType(1, DataType.Float32, DataType.Int8);
        if (a.Type != b.Type)
        {
            throw ctx.Fail($"inputs must have the same type: '{a.Name}' is {a.Type.Name()}, '{b.Name}' is {b.Type.Name()}");
        }

        if (a.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(a, "input 0");
            ctx.RequirePerTensorQuant(b, "input 1");
        }

        int[] shape = Broadcast.Shape(a.Shape, b.Shape)
            ?? throw ctx.Fail($"shapes {ShapeMath.Format(a.Shape)} and {ShapeMath.Format(b.Shape)} do not broadcast (right-aligned dims must be equal or 1)");
        ctx.SetOutput(0, a.Type, shape);
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc a = ctx.Input(0), b = ctx.Input(1), y = ctx.Output(0);
        BroadcastLayout layout = Broadcast.Layout(y.Shape, a.Shape, b.Shape);
        string name = Code.ToString().ToLowerInvariant();
        int na = (int)a.ElementCount, nb = (int)b.ElementCount, ny = (int)y.ElementCount;
        if (a.Type == DataType.Float32)
        {
            var pa = (float*)ctx.InputPointer(0);
            var pb = (float*)ctx.InputPointer(1);
            var py = (float*)ctx.OutputPointer(0);
            string kernel = $"f32-v{name}-ref";
            var plan = new BinaryF32Plan(pa, pb, py, ny, VectorBroadcastLength(b.Shape, y.Shape, nb, ny), na == ny);
            if (KernelTable.ChooseOptimized(Code, DataType.Float32, plan, ctx.Options) is { } fast)
            {
                return fast.Create(plan);
            }

            return Code switch
            {
                OpCode.Add => new BroadcastKernel<float, float, float, AddF32>(kernel, pa, na, pb, nb, py, ny, layout, default),
                OpCode.Sub => new BroadcastKernel<float, float, float, SubF32>(kernel, pa, na, pb, nb, py, ny, layout, default),
                OpCode.Mul => new BroadcastKernel<float, float, float, MulF32>(kernel, pa, na, pb, nb, py, ny, layout, default),
                _ => new BroadcastKernel<float, float, float, DivF32>(kernel, pa, na, pb, nb, py, ny, layout, default),
            };
        }

        QuantizationInfo qa = a.Quantization!, qb = b.Quantization!, qy = y.Quantization!;
        var sa = (sbyte*)ctx.InputPointer(0);
        var sb = (sbyte*)ctx.InputPointer(1);
        var sy = (sbyte*)ctx.OutputPointer(0);
        string s8 = $"s8-v{name}-ref";
        if (Code is OpCode.Add or OpCode.Sub)
        {
            var plan = new Kernels.Int8.S8AddPlan(sa, sb, sy, ny, na == ny && nb == ny, Kernels.Int8.S8AddParams.From(qa.Scale, qa.ZeroPoint,
                qb.Scale, qb.ZeroPoint, qy.Scale, qy.ZeroPoint, subtract: Code == OpCode.Sub));
            if (Kernels.KernelTable.ChooseOptimized(Code, DataType.Int8, plan, ctx.Options) is { } fast)
            {
                return fast.Create(plan);
            }
        }
        else
        {
            Func<sbyte, sbyte, sbyte> reference = Code == OpCode.Mul
                ? new MulS8(qa.Scale, qa.ZeroPoint, qb.Scale, qb.ZeroPoint, qy.Scale, qy.ZeroPoint).Invoke
                : new DivS8(qa.Scale, qa.ZeroPoint, qb.Scale, qb.ZeroPoint, qy.Scale, qy.ZeroPoint).Invoke;
            var plan = new Kernels.Int8.S8BinaryPlan(sa, na, sb, nb, sy, ny, layout, reference);
            if (Kernels.KernelTable.ChooseOptimized(Code, DataType.Int8, plan, ctx.Options) is { } fast)
            {
                return fast.Create(plan);
            }
        }

        return Code switch
        {
            OpCode.Add or OpCode.Sub => new BroadcastKernel<sbyte, sbyte, sbyte, AddS8>(s8, sa, na, sb, nb, sy, ny, layout,
                new AddS8(qa.Scale, qa.ZeroPoint, qb.Scale, qb.ZeroPoint, qy.Scale, qy.ZeroPoint, subtract: Code == OpCode.Sub)),
            OpCode.Mul => new BroadcastKernel<sbyte, sbyte, sbyte, MulS8>(s8, sa, na, sb, nb, sy, ny, layout,
                new MulS8(qa.Scale, qa.ZeroPoint, qb.Scale, qb.ZeroPoint, qy.Scale, qy.ZeroPoint)),
            _ => new BroadcastKernel<sbyte, sbyte, sbyte, DivS8>($"s8-v{name}-viaf32-ref", sa, na, sb, nb, sy, ny, layout,
                new DivS8(qa.Scale, qa.ZeroPoint, qb.Scale, qb.ZeroPoint, qy.Scale, qy.ZeroPoint)),
        };
    }

    /// <summary>How many b values repeat along y when b is y-shaped, a scalar, or a vector over y's last dim; else 0.</summary>
    private static int VectorBroadcastLength(int[] b, int[] y, int nb, int ny)
    {
        if (nb == ny || nb == 1)
        {
            return nb;
        }

        bool lastOnly = b.Length >= 1 && b[^1] == y[^1];
        for (int d = 0; d < b.Length - 1 && lastOnly; d++)
        {
            lastOnly = b[d] == 1;
        }

        return lastOnly ? nb : 0;
    }
}
