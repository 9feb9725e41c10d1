using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>An fp32 activation through the one unary driver at the width its table row names (f32-sigmoid-avx2, ...).</summary>
internal sealed unsafe class VectorUnaryKernel<TFunction>(string name, UnaryF32Plan plan, TFunction function, VectorWidth width) : Kernel
    where TFunction : struct, IVectorUnaryF32
{
    private readonly float* _x = plan.X; // [count], may be the same bytes as _y
    private readonly float* _y = plan.Y;
    private readonly int _count = plan.Count;

    public override string Name => name;

    public override void Run() => VectorUnaryDriver.Apply(_x, _y, _count, function, width);
}
