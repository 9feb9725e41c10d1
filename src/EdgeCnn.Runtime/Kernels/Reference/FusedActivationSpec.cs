using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>An activation fused into Conv/Dense, applied to each fp32 output after the bias.</summary>
public sealed class FusedActivationSpec
{
    public FusedActivationSpec(FusedActivation kind, float min, float max, float alpha)
    {
        Kind = kind;
        Min = min;
        Max = max;
        Alpha = alpha;
    }

    public FusedActivation Kind { get; }

    /// <summary>Clip bounds (Clip only).</summary>
    public float Min { get; }

    public float Max { get; }

    /// <summary>LeakyRelu slope (LeakyRelu only).</summary>
    public float Alpha { get; }

    public float Apply(float x) => Kind switch
    {
        FusedActivation.Relu => ScalarFunctions.Relu(x),
        FusedActivation.Relu6 => ScalarFunctions.Clip(x, 0f, 6f),
        FusedActivation.Clip => ScalarFunctions.Clip(x, Min, Max),
        FusedActivation.LeakyRelu => ScalarFunctions.LeakyRelu(x, Alpha),
        FusedActivation.HardSwish => ScalarFunctions.HardSwish(x),
        _ => x,
    };
}
