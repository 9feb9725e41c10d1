using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>
/// fp32 Add / Sub / Mul / Div where a has the output's shape and b is the same shape, a per-channel vector (the last dim,
/// repeated over every pixel: a bias or a channel scale) or a scalar. Other broadcasts run the reference. In place over a is
/// safe (each element is read before it is written).
/// </summary>
internal sealed unsafe class BinaryF32VectorKernel<TOps, TVec>(string name, BinaryF32Plan plan, OpCode op) : Kernel
    where TOps : IF32Ops<TVec>
    where TVec : struct
{
    private readonly float* _a = plan.A; // [count]
    private readonly float* _b = plan.B; // [bLength], repeated
    private readonly float* _y = plan.Y; // [count]
    private readonly int _count = plan.Count;
    private readonly int _bLength = plan.BLength;

    public override string Name => name;

    public static bool Accepts(BinaryF32Plan plan) => plan.AIsFull && plan.BLength > 0;

    public override void Run()
    {
        switch (op)
        {
            case OpCode.Add:
                Loop<AddOp>();
                break;
            case OpCode.Sub:
                Loop<SubOp>();
                break;
            case OpCode.Mul:
                Loop<MulOp>();
                break;
            default:
                Loop<DivOp>();
                break;
        }
    }

    private void Loop<TBin>()
        where TBin : struct, IBin
    {
        int w = TOps.Count;
        if (_bLength == 1)
        {
            TVec vb = TOps.Broadcast(_b[0]);
            float sb = _b[0];
            int i = 0;
            for (; i <= _count - w; i += w)
            {
                TOps.Store(TBin.Apply<TOps, TVec>(TOps.Load(_a + i), vb), _y + i);
            }

            for (; i < _count; i++)
            {
                _y[i] = TBin.Apply(_a[i], sb);
            }

            return;
        }

        // b repeats every bLength elements (bLength = count: one pass).
        for (long start = 0; start < _count; start += _bLength)
        {
            float* a = _a + start, y = _y + start;
            int i = 0;
            for (; i <= _bLength - w; i += w)
            {
                TOps.Store(TBin.Apply<TOps, TVec>(TOps.Load(a + i), TOps.Load(_b + i)), y + i);
            }

            for (; i < _bLength; i++)
            {
                y[i] = TBin.Apply(a[i], _b[i]);
            }
        }
    }

    private interface IBin
    {
        static abstract float Apply(float a, float b);

        static abstract TV Apply<TO, TV>(TV a, TV b)
            where TO : IF32Ops<TV>
            where TV : struct;
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly struct AddOp : IBin
    {
        public static float Apply(float a, float b) => a + b;

        public static TV Apply<TO, TV>(TV a, TV b)
            where TO : IF32Ops<TV>
            where TV : struct => TO.Add(a, b);
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly struct SubOp : IBin
    {
        public static float Apply(float a, float b) => a - b;

        public static TV Apply<TO, TV>(TV a, TV b)
            where TO : IF32Ops<TV>
            where TV : struct => TO.Subtract(a, b);
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly struct MulOp : IBin
    {
        public static float Apply(float a, float b) => a * b;

        public static TV Apply<TO, TV>(TV a, TV b)
            where TO : IF32Ops<TV>
            where TV : struct => TO.Multiply(a, b);
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly struct DivOp : IBin
    {
        public static float Apply(float a, float b) => a / b;

        public static TV Apply<TO, TV>(TV a, TV b)
            where TO : IF32Ops<TV>
            where TV : struct => TO.Divide(a, b);
    }
}
