using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Int8;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Optimized int8 kernels. Priorities: avxvnni 400 (VPDPBUSD: 4 MACs per int32 lane per instruction) above avx2 200
/// (vpmaddwd: 2), above v512 150 and v128 100. The Vector512 GEMM (exact int32 multiply-adds of sign-extended planes) is
/// ranked below the AVX2 one on purpose: without VNNI, vpmaddwd on 256 bits does more MACs per instruction than 512-bit
/// vpmulld, so AVX2 stays the choice on AVX-512 CPUs lacking AVX-VNNI. The AVX2 emulation of the VNNI kernel (120) needs
/// AVX2, so the AVX2 kernel always outranks it: it is never planned by default and exists to run the VNNI kernel's
/// packing and u8 correction bit-exactly where AVX-VNNI is absent.
/// </summary>
public static partial class KernelTable
{
    static partial void RegisterS8(List<KernelInfo> kernels)
    {
        const IsaRequirement avx2 = IsaRequirement.Avx2;
        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.Conv, OpCode.Dense])
        {
            kernels.Add(S8Gemm<S8Gemm4x16c4U8<AvxVnniDpbusd>>(op, IsaRequirement.AvxVnni | avx2, 400));
            kernels.Add(S8Gemm<S8Gemm4x8c4Avx2>(op, avx2, 200));
            kernels.Add(S8Gemm<S8Gemm4x16c4Vector512>(op, IsaRequirement.Vector512, 150));
            kernels.Add(S8Gemm<S8Gemm4x16c4U8<Avx2DpbusdEmulation>>(op, avx2, 120));
            kernels.Add(S8Gemm<S8Gemm4x8c4Vector128>(op, IsaRequirement.Vector128, 100));
        }
    }

    private static KernelEntry<ConvS8Plan> S8Gemm<TKernel>(OpCode op, IsaRequirement isa, int priority)
        where TKernel : struct, IS8GemmMicrokernel =>
        new($"s8-{(op == OpCode.Conv ? "conv" : "dense")}-gemm-{TKernel.Suffix}", op, DataType.Int8, isa, priority, p => p.IsPlain,
            (p, row) => new S8ConvGemm<TKernel>(row.Name, p), TKernel.Mr, TKernel.Nr);
}
