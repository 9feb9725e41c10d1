using EdgeCnn.Runtime.Kernels.Int8;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Plan's choice of int8 convolution-family kernel: the packed GEMM microkernel the table ranks first on this CPU
/// (chosen once, at Plan), packed for this node's weights.
/// </summary>
internal static unsafe class S8KernelSelection
{
    /// <summary>Conv (1D/2D/3D, any stride, dilation, padding and group count) as packed (indirect) GEMM.</summary>
    public static Kernel Conv(PlanContext ctx, ConvGeometry g, Int8Requant requant) =>
        S8GemmTable.Best.Conv((sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), g, ctx.ConstantInput<sbyte>(1), Bias(ctx), requant);

    /// <summary>Dense as packed GEMM.</summary>
    public static Kernel Dense(PlanContext ctx, int rows, int k, int outputs, Int8Requant requant) =>
        S8GemmTable.Best.Dense((sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0), rows, k, outputs, ctx.ConstantInput<sbyte>(1),
            Bias(ctx), requant);

    private static ReadOnlySpan<int> Bias(PlanContext ctx) => ctx.HasInput(2) ? ctx.ConstantInput<int>(2) : [];
}
