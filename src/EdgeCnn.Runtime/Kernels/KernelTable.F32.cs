using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Gemm;
using EdgeCnn.Runtime.Kernels.Vector;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Optimized fp32 kernels. Priorities rank the widths (avx512 &gt; avx2 &gt; v128 &gt; ref) and, within a width, a specialised
/// kernel above a general one (a depthwise kernel above the GEMM that also accepts depthwise nodes).
/// </summary>
public static partial class KernelTable
{
    static partial void RegisterF32(List<KernelInfo> kernels)
    {
        const IsaRequirement v512 = IsaRequirement.Vector512, v256 = IsaRequirement.Vector256, v128 = IsaRequirement.Vector128;
        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.Conv, OpCode.Dense])
        {
            string o = op == OpCode.Conv ? "conv" : "dense";
            kernels.Add(Gemm<Gemm7x16Vector512>(op, $"f32-{o}-gemm-7x16-minmax-avx512", v512, 300, VectorWidth.V512));
            kernels.Add(Gemm<Gemm6x16Vector256>(op, $"f32-{o}-gemm-6x16-minmax-avx2", v256, 200, VectorWidth.V256));
            kernels.Add(Gemm<Gemm6x8Vector128>(op, $"f32-{o}-gemm-6x8-minmax-v128", v128, 100, VectorWidth.V128));
        }
    }

    private static KernelEntry<ConvF32Plan> Gemm<TMicro>(OpCode op, string name, IsaRequirement isa, int priority, VectorWidth width)
        where TMicro : IGemmMicrokernelF32 =>
        new(name, op, DataType.Float32, isa, priority, p => p.IsPlain, (p, k) => new ConvGemmF32Kernel<TMicro>(k.Name, p, width),
            TMicro.MR, TMicro.NR);
}
