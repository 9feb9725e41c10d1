using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Concat;
using EdgeCnn.Runtime.Kernels.Depthwise;
using EdgeCnn.Runtime.Kernels.Gemm;
using EdgeCnn.Runtime.Kernels.Pad;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Transpose;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Kernels.Winograd;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Optimized fp32 kernels. Priorities rank the widths (avx512 &gt; avx2 &gt; v128 &gt; ref) and, within a width, a specialised
/// kernel above a general one (a depthwise kernel above the GEMM that also accepts depthwise nodes).
/// </summary>
public static partial class KernelTable
{
    /// <summary>
    /// Whether Plan prefers Winograd F(2,3) over the GEMM for the 3x3 stride-1 layers it accepts (>= 64 channels in and out,
    /// one thread): 1.37x to 1.84x faster there, measured in bench/results/kernels-f32.md.
    /// </summary>
    private const bool WinogradDefault = true;

    static partial void RegisterF32(List<KernelInfo> kernels)
    {
        const IsaRequirement v512 = IsaRequirement.Vector512, v256 = IsaRequirement.Vector256, v128 = IsaRequirement.Vector128;
        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.Conv, OpCode.Dense])
        {
            string o = op == OpCode.Conv ? "conv" : "dense";
            kernels.Add(Gemm<Gemm7x16Vector512>(op, $"f32-{o}-gemm-7x16-minmax-avx512", v512, 300, VectorWidth.V512));
            kernels.Add(Gemm<Gemm6x16Vector256>(op, $"f32-{o}-gemm-6x16-minmax-avx2", v256, 200, VectorWidth.V256));
            kernels.Add(Gemm<Gemm6x8Vector128>(op, $"f32-{o}-gemm-6x8-minmax-v128", v128, 100, VectorWidth.V128));

            // One output row (batch-1 heads): same panels, K split over independent accumulators; above the GEMM of its width.
            kernels.Add(Gemv<Gemv1x16Vector256>(op, $"f32-{o}-gemv-1x16-minmax-avx2", v256, 205, VectorWidth.V256));
            kernels.Add(Gemv<Gemv1x8Vector128>(op, $"f32-{o}-gemv-1x8-minmax-v128", v128, 105, VectorWidth.V128));
        }

        // Few input channels (the stems): taps that are whole kernel rows of the padded input; above the GEMM of their width.
        kernels.Add(GemmRows<Gemm7x16Vector512>("f32-conv-gemmrows-7x16-minmax-avx512", v512, 302, VectorWidth.V512));
        kernels.Add(GemmRows<Gemm6x16Vector256>("f32-conv-gemmrows-6x16-minmax-avx2", v256, 202, VectorWidth.V256));
        kernels.Add(GemmRows<Gemm6x8Vector128>("f32-conv-gemmrows-6x8-minmax-v128", v128, 102, VectorWidth.V128));

        kernels.Add(Winograd<Gemm7x16Vector512, Ops512, Vector512<float>>("f32-conv-winograd-f23-7x16-minmax-avx512", v512, WinogradPriority(300), VectorWidth.V512));
        kernels.Add(Winograd<Gemm6x16Vector256, Ops256, Vector256<float>>("f32-conv-winograd-f23-6x16-minmax-avx2", v256, WinogradPriority(200), VectorWidth.V256));
        kernels.Add(Winograd<Gemm6x8Vector128, Ops128, Vector128<float>>("f32-conv-winograd-f23-6x8-minmax-v128", v128, WinogradPriority(100), VectorWidth.V128));

        kernels.Add(Depthwise<DwVector512>("f32-conv-dw-minmax-avx512", v512, 310, VectorWidth.V512));
        kernels.Add(Depthwise3x3Rows<Dw3x3RowsVector256, Dw3x3Vector256>("f32-conv-dw-3x3-rows-minmax-avx2", v256, 225, VectorWidth.V256));
        kernels.Add(Depthwise<Dw3x3Vector256>("f32-conv-dw-3x3-minmax-avx2", v256, 220, VectorWidth.V256));
        kernels.Add(Depthwise<DwVector256>("f32-conv-dw-minmax-avx2", v256, 210, VectorWidth.V256));
        kernels.Add(Depthwise3x3Rows<Dw3x3RowsVector128, Dw3x3Vector128>("f32-conv-dw-3x3-rows-minmax-v128", v128, 125, VectorWidth.V128));
        kernels.Add(Depthwise<Dw3x3Vector128>("f32-conv-dw-3x3-minmax-v128", v128, 120, VectorWidth.V128));
        kernels.Add(Depthwise<DwVector128>("f32-conv-dw-minmax-v128", v128, 110, VectorWidth.V128));

        Unary(kernels, OpCode.Relu, _ => default(ReluVector));
        Unary(kernels, OpCode.Clip, n => new ClipVector(n.Float(AttributeKey.Min, float.NegativeInfinity), n.Float(AttributeKey.Max, float.PositiveInfinity)));
        Unary(kernels, OpCode.LeakyRelu, n => new LeakyReluVector(n.Float(AttributeKey.Alpha, 0.01f)));
        Unary(kernels, OpCode.HardSigmoid, n => new HardSigmoidVector(n.Float(AttributeKey.Alpha, 0.2f), n.Float(AttributeKey.Beta, 0.5f)));
        Unary(kernels, OpCode.HardSwish, _ => default(HardSwishVector));
        Unary(kernels, OpCode.Sigmoid, _ => default(SigmoidVector));
        Unary(kernels, OpCode.Tanh, _ => default(TanhVector));
        Unary(kernels, OpCode.Silu, _ => default(SiluVector));
        Unary(kernels, OpCode.Exp, _ => default(ExpVector));

        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.MaxPool, OpCode.AveragePool, OpCode.GlobalMaxPool, OpCode.GlobalAveragePool])
        {
            string name = $"f32-{op.ToString().ToLowerInvariant()}";
            if (op is OpCode.MaxPool or OpCode.GlobalMaxPool)
            {
                Pool<MaxPooling>(kernels, op, name);
            }
            else
            {
                Pool<AveragePooling>(kernels, op, name);
            }
        }

        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.Softmax, OpCode.LogSoftmax])
        {
            string name = $"f32-{op.ToString().ToLowerInvariant()}";
            kernels.Add(Widths<SoftmaxF32Plan>(op, name, 300, SoftmaxF32VectorKernel<Ops512, Vector512<float>>.Accepts, (p, k) => new SoftmaxF32VectorKernel<Ops512, Vector512<float>>(k.Name, p)));
            kernels.Add(Widths<SoftmaxF32Plan>(op, name, 200, SoftmaxF32VectorKernel<Ops256, Vector256<float>>.Accepts, (p, k) => new SoftmaxF32VectorKernel<Ops256, Vector256<float>>(k.Name, p)));
            kernels.Add(Widths<SoftmaxF32Plan>(op, name, 100, SoftmaxF32VectorKernel<Ops128, Vector128<float>>.Accepts, (p, k) => new SoftmaxF32VectorKernel<Ops128, Vector128<float>>(k.Name, p)));
        }

        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.Add, OpCode.Sub, OpCode.Mul, OpCode.Div])
        {
            string name = $"f32-v{op.ToString().ToLowerInvariant()}";
            OpCode o = op;
            kernels.Add(Widths<BinaryF32Plan>(op, name, 300, BinaryF32VectorKernel<Ops512, Vector512<float>>.Accepts, (p, k) => new BinaryF32VectorKernel<Ops512, Vector512<float>>(k.Name, p, o)));
            kernels.Add(Widths<BinaryF32Plan>(op, name, 200, BinaryF32VectorKernel<Ops256, Vector256<float>>.Accepts, (p, k) => new BinaryF32VectorKernel<Ops256, Vector256<float>>(k.Name, p, o)));
            kernels.Add(Widths<BinaryF32Plan>(op, name, 100, BinaryF32VectorKernel<Ops128, Vector128<float>>.Accepts, (p, k) => new BinaryF32VectorKernel<Ops128, Vector128<float>>(k.Name, p, o)));
        }

        kernels.Add(Widths<BatchNormF32Plan>(OpCode.BatchNorm, "f32-batchnorm", 300, _ => true, (p, k) => new BatchNormF32VectorKernel<Ops512, Vector512<float>>(k.Name, p)));
        kernels.Add(Widths<BatchNormF32Plan>(OpCode.BatchNorm, "f32-batchnorm", 200, _ => true, (p, k) => new BatchNormF32VectorKernel<Ops256, Vector256<float>>(k.Name, p)));
        kernels.Add(Widths<BatchNormF32Plan>(OpCode.BatchNorm, "f32-batchnorm", 100, _ => true, (p, k) => new BatchNormF32VectorKernel<Ops128, Vector128<float>>(k.Name, p)));
        RegisterChannelClip(kernels); // fp32 and int8 rows (KernelTable.ChannelClip.cs)

        // Concat by output rows (ISA None: short blocks by element, long ones by memmove).
        kernels.Add(new KernelEntry<ConcatF32Plan>("f32-concat-rows-scalar", OpCode.Concat, DataType.Float32, IsaRequirement.None, 50,
            ConcatF32RowsKernel.Accepts, (p, k) => new ConcatF32RowsKernel(k.Name, p)));

        // Constant Pad / crop as row copies and fills (ISA None: memmove and Span.Fill vectorize themselves).
        kernels.Add(new KernelEntry<PadPlan>("f32-pad-constant-rows-scalar", OpCode.Pad, DataType.Float32, IsaRequirement.None, 50,
            PadConstantRowsKernel<float>.Accepts, (p, k) => new PadConstantRowsKernel<float>(k.Name, p, p.Fill)));

        // Layout changes (NCHW <-> NHWC at the graph edges): register tiles on AVX2, cache tiles anywhere else. The blocked
        // rows are scalar (ISA None) and serve int8 too (KernelTable.S8.cs): a transpose only moves elements.
        kernels.Add(new KernelEntry<TransposePlan>("f32-transpose-8x8-avx2", OpCode.Transpose, DataType.Float32, IsaRequirement.Avx2, 200,
            TransposeF32Avx2Kernel.Accepts, (p, k) => new TransposeF32Avx2Kernel(k.Name, p), 8, 8));
        kernels.Add(new KernelEntry<TransposePlan>("f32-transpose-blocked-scalar", OpCode.Transpose, DataType.Float32, IsaRequirement.None, 50,
            TransposeBlockedKernel<float>.Accepts, (p, k) => new TransposeBlockedKernel<float>(k.Name, p),
            TransposeBlockedKernel<float>.Tile, TransposeBlockedKernel<float>.Tile));
    }

    /// <summary>A row of an element-wise family at the width its priority names (300 avx512, 200 avx2, 100 v128).</summary>
    private static KernelEntry<TPlan> Widths<TPlan>(OpCode op, string name, int priority, Func<TPlan, bool> accepts,
        Func<TPlan, KernelInfo, Ops.Kernel> create)
    {
        (string isaName, IsaRequirement isa) = priority switch
        {
            300 => ("avx512", IsaRequirement.Vector512),
            200 => ("avx2", IsaRequirement.Vector256),
            _ => ("v128", IsaRequirement.Vector128),
        };
        return new KernelEntry<TPlan>($"{name}-{isaName}", op, DataType.Float32, isa, priority, accepts, create);
    }

    private static void Pool<TReduce>(List<KernelInfo> kernels, OpCode op, string name)
        where TReduce : IPoolReduction
    {
        kernels.Add(Widths<PoolF32Plan>(op, name, 300, PoolF32VectorKernel<Ops512, Vector512<float>, TReduce>.Accepts,
            (p, k) => new PoolF32VectorKernel<Ops512, Vector512<float>, TReduce>(k.Name, p)));
        kernels.Add(Widths<PoolF32Plan>(op, name, 200, PoolF32VectorKernel<Ops256, Vector256<float>, TReduce>.Accepts,
            (p, k) => new PoolF32VectorKernel<Ops256, Vector256<float>, TReduce>(k.Name, p)));
        kernels.Add(Widths<PoolF32Plan>(op, name, 100, PoolF32VectorKernel<Ops128, Vector128<float>, TReduce>.Accepts,
            (p, k) => new PoolF32VectorKernel<Ops128, Vector128<float>, TReduce>(k.Name, p)));
    }

    private static void Unary<TFunction>(List<KernelInfo> kernels, OpCode op, Func<Ops.NodeContext, TFunction> function)
        where TFunction : struct, IVectorUnaryF32
    {
        string name = $"f32-{op.ToString().ToLowerInvariant()}";
        foreach ((int priority, VectorWidth width) in (ReadOnlySpan<(int, VectorWidth)>)[(300, VectorWidth.V512), (200, VectorWidth.V256), (100, VectorWidth.V128)])
        {
            VectorWidth w = width;
            kernels.Add(Widths<UnaryF32Plan>(op, name, priority, _ => true,
                (p, k) => new VectorUnaryKernel<TFunction>(k.Name, p, function(p.Node), w)));
        }
    }

    private static KernelEntry<ConvF32Plan> Winograd<TMicro, TOps, TVec>(string name, IsaRequirement isa, int priority, VectorWidth width)
        where TMicro : IGemmMicrokernelF32
        where TOps : IF32Ops<TVec>
        where TVec : unmanaged =>
        new(name, OpCode.Conv, DataType.Float32, isa, priority, WinogradF23Kernel<TMicro, TOps, TVec>.Accepts,
            (p, k) => new WinogradF23Kernel<TMicro, TOps, TVec>(k.Name, p, width), TMicro.MR, TMicro.NR);

    private static KernelEntry<ConvF32Plan> Depthwise<TMicro>(string name, IsaRequirement isa, int priority, VectorWidth width)
        where TMicro : IDwMicrokernelF32 =>
        new(name, OpCode.Conv, DataType.Float32, isa, priority, DwConvF32Kernel<TMicro>.Accepts,
            (p, k) => new DwConvF32Kernel<TMicro>(k.Name, p, width), 1, TMicro.ChannelTile);

    /// <summary>3x3 depthwise with interior runs addressed directly (TRows) and borders through the indirection buffer (TEdge).</summary>
    private static KernelEntry<ConvF32Plan> Depthwise3x3Rows<TRows, TEdge>(string name, IsaRequirement isa, int priority, VectorWidth width)
        where TRows : IDwRowMicrokernelF32
        where TEdge : IDwMicrokernelF32 =>
        new(name, OpCode.Conv, DataType.Float32, isa, priority, DwConv3x3RowsF32Kernel<TRows, TEdge>.Accepts,
            (p, k) => new DwConv3x3RowsF32Kernel<TRows, TEdge>(k.Name, p, width), 1, TRows.ChannelTile);

    private static KernelEntry<ConvF32Plan> Gemm<TMicro>(OpCode op, string name, IsaRequirement isa, int priority, VectorWidth width)
        where TMicro : IGemmMicrokernelF32 =>
        new(name, op, DataType.Float32, isa, priority, p => p.IsPlain, (p, k) => new ConvGemmF32Kernel<TMicro>(k.Name, p, width),
            TMicro.MR, TMicro.NR);

    private static KernelEntry<ConvF32Plan> GemmRows<TMicro>(string name, IsaRequirement isa, int priority, VectorWidth width)
        where TMicro : IGemmMicrokernelF32 =>
        new(name, OpCode.Conv, DataType.Float32, isa, priority, ConvGemmRowsF32Kernel<TMicro>.Accepts,
            (p, k) => new ConvGemmRowsF32Kernel<TMicro>(k.Name, p, width), TMicro.MR, TMicro.NR);

    /// <summary>A GEMV row: the GEMM driver over a one-row microkernel, for plain nodes with a single output row (M = 1).</summary>
    private static KernelEntry<ConvF32Plan> Gemv<TMicro>(OpCode op, string name, IsaRequirement isa, int priority, VectorWidth width)
        where TMicro : IGemmMicrokernelF32 =>
        new(name, op, DataType.Float32, isa, priority, p => p.IsPlain && OutputRows(p.Geometry) == 1,
            (p, k) => new ConvGemmF32Kernel<TMicro>(k.Name, p, width), TMicro.MR, TMicro.NR);

    /// <summary>GEMM rows M: output pixels over the batch (Dense: the batch).</summary>
    private static long OutputRows(ConvGeometry g) => (long)g.Batch * g.OutD * g.OutH * g.OutW;

    /// <summary>Winograd rows rank just above the GEMM of their width when WinogradDefault, else just below (never chosen).</summary>
    private static int WinogradPriority(int width) => WinogradDefault ? width + 5 : width - 5;
}
