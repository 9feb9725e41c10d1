using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>How optimized fp32 kernels fuse an activation: the clamp kinds become the microkernel's min/max.</summary>
internal static class FusedClamp
{
    /// <summary>The output clamp of Relu, Relu6 and Clip; (-inf, +inf) for the rest (applied after the tile is stored).</summary>
    public static (float Min, float Max) ClampRange(this FusedActivationSpec activation) => activation.Kind switch
    {
        FusedActivation.Relu => (0f, float.PositiveInfinity),
        FusedActivation.Relu6 => (0f, 6f),
        FusedActivation.Clip => (activation.Min, activation.Max),
        _ => (float.NegativeInfinity, float.PositiveInfinity),
    };
}
