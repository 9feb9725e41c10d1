using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>What a convolution output accumulates: Begin with the bias, Add each (input, weight) tap, End into the output.</summary>
internal interface IConvAccumulator<TX, TW, TB, TY>
{
    void Begin(TB bias);

    void Add(TX x, TW w);

    TY End(int outputChannel);
}

/// <summary>fp32: acc = bias + sum x * w, then the fused activation.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct ConvAccumulatorF32(FusedActivationSpec activation) : IConvAccumulator<float, float, float, float>
{
    private float _acc;

    public void Begin(float bias) => _acc = bias;

    public void Add(float x, float w) => _acc += x * w;

    public readonly float End(int outputChannel) => activation.Apply(_acc);
}

/// <summary>int8: acc = bias + sum (x - z_x) * w in int32 (bounded by the reduction-length limit), then requantization.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct ConvAccumulatorS8(Int8Requant requant) : IConvAccumulator<sbyte, sbyte, int, sbyte>
{
    private readonly int _inputZeroPoint = requant.InputZeroPoint;
    private int _acc;

    public void Begin(int bias) => _acc = bias;

    public void Add(sbyte x, sbyte w) => _acc = unchecked(_acc + ((x - _inputZeroPoint) * w));

    public readonly sbyte End(int outputChannel) => requant.Output(_acc, outputChannel);
}
