using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Int8;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Transpose;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Optimized int8 kernels. Priorities: avxvnni 400 (VPDPBUSD: 4 MACs per int32 lane per instruction) above avx2 200
/// (vpmaddwd: 2), above avx512 (Vector512) 150 and v128 100. The Vector512 GEMM (exact int32 multiply-adds of sign-extended planes) is
/// ranked below the AVX2 one on purpose: without VNNI, vpmaddwd on 256 bits does more MACs per instruction than 512-bit
/// vpmulld, so AVX2 stays the choice on AVX-512 CPUs lacking AVX-VNNI. The AVX2 emulation of the VNNI kernel (120) needs
/// AVX2, so the AVX2 kernel always outranks it: it is never planned by default and exists to run the VNNI kernel's
/// packing and u8 correction bit-exactly where AVX-VNNI is absent. Direct depthwise rows rank above every GEMM of an
/// ISA at least as wide (a depthwise node in the GEMM wastes 3 of every 4 reduction lanes), the 3x3 one above the KxK one.
/// </summary>
public static partial class KernelTable
{
    static partial void RegisterS8(List<KernelInfo> kernels)
    {
        const IsaRequirement avx2 = IsaRequirement.Avx2;
        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.Conv, OpCode.Dense])
        {
            kernels.Add(S8Gemm<S8Gemm4x16c4U8<AvxVnniDpbusd>>(op, IsaRequirement.AvxVnni | avx2, 400));
            kernels.Add(new KernelEntry<ConvS8Plan>($"s8-{(op == OpCode.Conv ? "conv" : "dense")}-gemv-1x16c4-minmax-avx2", op, DataType.Int8, avx2, 215,
                S8Gemv.Accepts, (p, row) => new S8Gemv(row.Name, p), 1, S8Gemv1x16c4Avx2.Nr));
            if (op == OpCode.Conv)
            {
                // Few-channel stems: taps that are whole kernel rows of the padded, widened input (KW * C values each).
                kernels.Add(new KernelEntry<ConvS8Plan>($"s8-conv-gemmrows-{S8Gemm6x16c2Avx2.Suffix}", op, DataType.Int8, avx2, 212,
                    S8ConvGemmRowsI16<S8Gemm6x16c2Avx2>.Accepts, (p, row) => new S8ConvGemmRowsI16<S8Gemm6x16c2Avx2>(row.Name, p),
                    S8Gemm6x16c2Avx2.Mr, S8Gemm6x16c2Avx2.Nr));
            }

            kernels.Add(S8GemmI16<S8Gemm6x16c2Avx2>(op, avx2, 210));
            kernels.Add(S8Gemm<S8Gemm4x8c4Avx2>(op, avx2, 200));
            kernels.Add(S8Gemm<S8Gemm4x16c4Vector512>(op, IsaRequirement.Vector512, 150));
            kernels.Add(S8Gemm<S8Gemm4x16c4U8<Avx2DpbusdEmulation>>(op, avx2, 120));
            kernels.Add(S8Gemm<S8Gemm4x8c4Vector128>(op, IsaRequirement.Vector128, 100));
        }

        RegisterS8Depthwise(kernels);
        RegisterS8Elementwise(kernels);
        kernels.Add(new KernelEntry<TransposePlan>("s8-transpose-blocked-scalar", OpCode.Transpose, DataType.Int8, IsaRequirement.None, 50,
            TransposeBlockedKernel<sbyte>.Accepts, (p, k) => new TransposeBlockedKernel<sbyte>(k.Name, p),
            TransposeBlockedKernel<sbyte>.Tile, TransposeBlockedKernel<sbyte>.Tile));
        // Constant Pad / crop by rows: the fp32 row's generic kernel on sbyte (it only fills and copies).
        kernels.Add(new KernelEntry<Pad.PadPlan>("s8-pad-constant-rows-scalar", OpCode.Pad, DataType.Int8, IsaRequirement.None, 50,
            Pad.PadConstantRowsKernel<sbyte>.Accepts, (p, k) => new Pad.PadConstantRowsKernel<sbyte>(k.Name, p, (sbyte)p.Fill)));
    }

    /// <summary>Vector int8 element-wise rows: Quantize / Dequantize (portable widths), Add / Sub, max / average pooling and Concat requantization.</summary>
    static void RegisterS8Elementwise(List<KernelInfo> kernels)
    {
        const IsaRequirement v256 = IsaRequirement.Vector256, v128 = IsaRequirement.Vector128, avx2 = IsaRequirement.Avx2;
        kernels.Add(new KernelEntry<S8QuantizePlan>("f32-s8-quantize-avx2", OpCode.Quantize, DataType.Float32, v256, 200, _ => true,
            (p, row) => new S8QuantizeKernel(row.Name, p, wide: true)));
        kernels.Add(new KernelEntry<S8QuantizePlan>("f32-s8-quantize-v128", OpCode.Quantize, DataType.Float32, v128, 100, _ => true,
            (p, row) => new S8QuantizeKernel(row.Name, p, wide: false)));
        kernels.Add(new KernelEntry<S8DequantizePlan>("s8-f32-dequantize-avx2", OpCode.Dequantize, DataType.Int8, v256, 200, p => p.PerTensor,
            (p, row) => new S8DequantizeKernel(row.Name, p, wide: true)));
        kernels.Add(new KernelEntry<S8DequantizePlan>("s8-f32-dequantize-v128", OpCode.Dequantize, DataType.Int8, v128, 100, p => p.PerTensor,
            (p, row) => new S8DequantizeKernel(row.Name, p, wide: false)));
        foreach ((OpCode op, string name) in (ReadOnlySpan<(OpCode, string)>)[(OpCode.Add, "vadd"), (OpCode.Sub, "vsub")])
        {
            kernels.Add(new KernelEntry<S8AddPlan>($"s8-{name}-avx2", op, DataType.Int8, avx2, 200, p => p.SameShape,
                (p, row) => new S8AddKernel(row.Name, p, avx2: true)));
            kernels.Add(new KernelEntry<S8AddPlan>($"s8-{name}-v128", op, DataType.Int8, v128, 100, p => p.SameShape,
                (p, row) => new S8AddKernel(row.Name, p, avx2: false)));
        }

        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.MaxPool, OpCode.AveragePool, OpCode.GlobalMaxPool, OpCode.GlobalAveragePool])
        {
            string name = op.ToString().ToLowerInvariant();
            kernels.Add(new KernelEntry<S8PoolPlan>($"s8-{name}-avx2", op, DataType.Int8, avx2, 200, S8PoolKernel<S8PoolAvx2>.Accepts,
                (p, row) => new S8PoolKernel<S8PoolAvx2>(row.Name, p)));
            kernels.Add(new KernelEntry<S8PoolPlan>($"s8-{name}-v128", op, DataType.Int8, v128, 100, S8PoolKernel<S8PoolVector128>.Accepts,
                (p, row) => new S8PoolKernel<S8PoolVector128>(row.Name, p)));
        }

        foreach ((OpCode op, string name) in (ReadOnlySpan<(OpCode, string)>)[(OpCode.Mul, "vmul"), (OpCode.Div, "vdiv")])
        {
            kernels.Add(new KernelEntry<S8BinaryPlan>($"s8-{name}-lut-scalar", op, DataType.Int8, IsaRequirement.None, 50, S8BinaryLut.Accepts,
                (p, row) => S8BinaryLut.Create(row.Name, p)));
        }

        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.Relu, OpCode.Clip, OpCode.LeakyRelu, OpCode.Elu, OpCode.Selu, OpCode.Sigmoid,
            OpCode.Tanh, OpCode.Softplus, OpCode.HardSigmoid, OpCode.HardSwish, OpCode.Silu, OpCode.Exp])
        {
            kernels.Add(new KernelEntry<S8LutPlan>($"s8-{op.ToString().ToLowerInvariant()}-lut-avx2", op, DataType.Int8, avx2, 200, _ => true,
                (p, row) => new S8LutKernel(row.Name, p, avx2: true)));
            kernels.Add(new KernelEntry<S8LutPlan>($"s8-{op.ToString().ToLowerInvariant()}-lut-v128", op, DataType.Int8, v128, 100, _ => true,
                (p, row) => new S8LutKernel(row.Name, p, avx2: false)));
        }

        kernels.Add(new KernelEntry<S8SoftmaxPlan>("s8-softmax-lut-scalar", OpCode.Softmax, DataType.Int8, IsaRequirement.None, 50, S8SoftmaxLut.Accepts,
            (p, row) => new S8SoftmaxLut(row.Name, p)));
        kernels.Add(new KernelEntry<S8ConcatPlan>("s8-concat-requant-avx2", OpCode.Concat, DataType.Int8, avx2, 200, p => p.AnyRequantize,
            (p, row) => new S8ConcatKernel(row.Name, p, avx2: true)));
        kernels.Add(new KernelEntry<S8ConcatPlan>("s8-concat-requant-v128", OpCode.Concat, DataType.Int8, v128, 100, p => p.AnyRequantize,
            (p, row) => new S8ConcatKernel(row.Name, p, avx2: false)));
    }

    /// <summary>Direct depthwise rows (Conv only), above the GEMM of the same ISA, which also accepts depthwise nodes.</summary>
    static void RegisterS8Depthwise(List<KernelInfo> kernels)
    {
        kernels.Add(S8Depthwise<S8Depthwise3x3Avx2>("s8-conv-dw-3x3-minmax-avx2", IsaRequirement.Avx2, 460, taps9: true));
        kernels.Add(S8Depthwise<S8DepthwiseAvx2>("s8-conv-dw-minmax-avx2", IsaRequirement.Avx2, 450, taps9: false));
        kernels.Add(S8Depthwise<S8Depthwise3x3Vector128>("s8-conv-dw-3x3-minmax-v128", IsaRequirement.Vector128, 180, taps9: true));
        kernels.Add(S8Depthwise<S8DepthwiseVector128>("s8-conv-dw-minmax-v128", IsaRequirement.Vector128, 170, taps9: false));
    }

    private static KernelEntry<ConvS8Plan> S8Depthwise<TPixel>(string name, IsaRequirement isa, int priority, bool taps9)
        where TPixel : struct, IS8DepthwisePixel =>
        new(name, OpCode.Conv, DataType.Int8, isa, priority,
            p => S8DepthwiseConv<TPixel>.IsDepthwise(p) && (!taps9 || (p.Geometry.KD == 1 && p.Geometry.KH == 3 && p.Geometry.KW == 3)),
            (p, row) => new S8DepthwiseConv<TPixel>(row.Name, p));

    private static KernelEntry<ConvS8Plan> S8GemmI16<TKernel>(OpCode op, IsaRequirement isa, int priority)
        where TKernel : struct, IS8GemmI16Microkernel =>
        new($"s8-{(op == OpCode.Conv ? "conv" : "dense")}-gemm-{TKernel.Suffix}", op, DataType.Int8, isa, priority,
            S8ConvGemmI16<TKernel>.Accepts, (p, row) => new S8ConvGemmI16<TKernel>(row.Name, p), TKernel.Mr, TKernel.Nr);

    private static KernelEntry<ConvS8Plan> S8Gemm<TKernel>(OpCode op, IsaRequirement isa, int priority)
        where TKernel : struct, IS8GemmMicrokernel =>
        new($"s8-{(op == OpCode.Conv ? "conv" : "dense")}-gemm-{TKernel.Suffix}", op, DataType.Int8, isa, priority, p => p.IsPlain,
            (p, row) => new S8ConvGemm<TKernel>(row.Name, p), TKernel.Mr, TKernel.Nr);
}
