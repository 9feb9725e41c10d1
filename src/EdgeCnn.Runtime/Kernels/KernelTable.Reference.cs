using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The reference kernels (Kernels/Reference): priority 0, ISA None, accepting every valid node. Conv and Dense are built
/// through the table (typed rows: the optimized rows of the same plan compete with them); the other ops build their
/// reference kernel directly and are listed here so that the table names every kernel that exists.
/// </summary>
public static partial class KernelTable
{
    static partial void RegisterReference(List<KernelInfo> kernels)
    {
        const IsaRequirement none = IsaRequirement.None;
        kernels.Add(new KernelEntry<ConvF32Plan>("f32-conv-ref", OpCode.Conv, DataType.Float32, none, 0, _ => true,
            (p, _) => new ConvF32Kernel(p.ReferenceName, p.Tensors, p.Geometry, p.Activation, transposed: false)));
        kernels.Add(new KernelEntry<ConvS8Plan>("s8-conv-ref", OpCode.Conv, DataType.Int8, none, 0, _ => true,
            (p, _) => new ConvS8Kernel(p.ReferenceName, p.Tensors, p.Geometry, p.Requant, transposed: false)));
        kernels.Add(new KernelEntry<ConvF32Plan>("f32-dense-ref", OpCode.Dense, DataType.Float32, none, 0, _ => true,
            (p, _) => new DenseF32Kernel(p.Tensors, p.Geometry.Batch, p.Geometry.InC, p.Geometry.OutC, p.Activation)));
        kernels.Add(new KernelEntry<ConvS8Plan>("s8-dense-ref", OpCode.Dense, DataType.Int8, none, 0, _ => true,
            (p, _) => new DenseS8Kernel(p.Tensors, p.Geometry.Batch, p.Geometry.InC, p.Geometry.OutC, p.Requant)));

        void Info(OpCode op, string f32, string? s8)
        {
            kernels.Add(new KernelInfo(f32, op, DataType.Float32, none, 0));
            if (s8 is not null)
            {
                kernels.Add(new KernelInfo(s8, op, DataType.Int8, none, 0));
            }
        }

        Info(OpCode.ConvTranspose, "f32-convtranspose-ref", "s8-convtranspose-ref");
        Info(OpCode.LocallyConnected2D, "f32-locallyconnected2d-ref", "s8-locallyconnected2d-ref");
        Info(OpCode.TiledConv2D, "f32-tiledconv2d-ref", "s8-tiledconv2d-ref");
        Info(OpCode.MaxPool, "f32-maxpool-ref", "s8-maxpool-ref");
        Info(OpCode.AveragePool, "f32-averagepool-ref", "s8-averagepool-ref");
        Info(OpCode.LpPool, "f32-lppool-ref", "s8-lppool-viaf32-ref");
        Info(OpCode.GlobalAveragePool, "f32-globalaveragepool-ref", "s8-globalaveragepool-ref");
        Info(OpCode.GlobalMaxPool, "f32-globalmaxpool-ref", "s8-globalmaxpool-ref");
        Info(OpCode.BatchNorm, "f32-batchnorm-ref", "s8-batchnorm-viaf32-ref");
        Info(OpCode.ChannelClip, "f32-channelclip-ref", "s8-channelclip-ref");
        foreach (OpCode op in (ReadOnlySpan<OpCode>)[OpCode.Relu, OpCode.Clip, OpCode.LeakyRelu, OpCode.Elu, OpCode.Selu, OpCode.Sigmoid,
            OpCode.Tanh, OpCode.Softplus, OpCode.HardSigmoid, OpCode.HardSwish, OpCode.Silu, OpCode.Exp])
        {
            string name = op.ToString().ToLowerInvariant();
            Info(op, $"f32-{name}-ref", $"s8-{name}-lut-ref");
        }

        Info(OpCode.PRelu, "f32-prelu-ref", "s8-prelu-viaf32-ref");
        Info(OpCode.Softmax, "f32-softmax-ref", "s8-softmax-viaf32-ref");
        Info(OpCode.LogSoftmax, "f32-logsoftmax-ref", "s8-logsoftmax-viaf32-ref");
        Info(OpCode.Add, "f32-vadd-ref", "s8-vadd-ref");
        Info(OpCode.Sub, "f32-vsub-ref", "s8-vsub-ref");
        Info(OpCode.Mul, "f32-vmul-ref", "s8-vmul-ref");
        Info(OpCode.Div, "f32-vdiv-ref", "s8-vdiv-viaf32-ref");
        Info(OpCode.Concat, "f32-concat-ref", "s8-concat-ref");
        Info(OpCode.Transpose, "f32-transpose-ref", "s8-transpose-ref");
        Info(OpCode.Pad, "f32-pad-ref", "s8-pad-ref");
        Info(OpCode.Resize, "f32-resize-ref", "s8-resize-ref");
        Info(OpCode.Maxout, "f32-maxout-ref", "s8-maxout-ref");
        kernels.Add(new KernelInfo("f32-s8-quantize-ref", OpCode.Quantize, DataType.Float32, none, 0));
        kernels.Add(new KernelInfo("s8-f32-dequantize-ref", OpCode.Dequantize, DataType.Int8, none, 0));
        kernels.Add(new KernelInfo("s32-f32-dequantize-ref", OpCode.Dequantize, DataType.Int32, none, 0));
    }
}
