using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Vector;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>ChannelClip rows, fp32 and int8 (one generic kernel): avx512 &gt; avx2 &gt; v128 &gt; ref.</summary>
public static partial class KernelTable
{
    private static void RegisterChannelClip(List<KernelInfo> kernels)
    {
        foreach ((int priority, string isaName, IsaRequirement isa, VectorWidth width) in (ReadOnlySpan<(int, string, IsaRequirement, VectorWidth)>)[
            (300, "avx512", IsaRequirement.Vector512, VectorWidth.V512),
            (200, "avx2", IsaRequirement.Vector256, VectorWidth.V256),
            (100, "v128", IsaRequirement.Vector128, VectorWidth.V128)])
        {
            VectorWidth w = width;
            kernels.Add(new KernelEntry<ChannelClipPlan<float>>($"f32-channelclip-{isaName}", OpCode.ChannelClip, DataType.Float32, isa, priority,
                _ => true, (p, k) => new ChannelClipVectorKernel<float>(k.Name, p, w)));
            kernels.Add(new KernelEntry<ChannelClipPlan<sbyte>>($"s8-channelclip-{isaName}", OpCode.ChannelClip, DataType.Int8, isa, priority,
                _ => true, (p, k) => new ChannelClipVectorKernel<sbyte>(k.Name, p, w)));
        }
    }
}
