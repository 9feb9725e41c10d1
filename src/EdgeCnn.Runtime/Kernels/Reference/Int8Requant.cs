namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// The int8 output stage of Conv/Dense, computed at Plan: per output channel fixed-point multiplier and shift for
/// M_o = s_x * s_w[o] / s_y, the input and output zero points, and the output clamp of the fused activation.
/// </summary>
public sealed class Int8Requant
{
    public Int8Requant(int inputZeroPoint, int outputZeroPoint, int[] multipliers, int[] shifts, int min, int max)
    {
        InputZeroPoint = inputZeroPoint;
        OutputZeroPoint = outputZeroPoint;
        Multipliers = multipliers;
        Shifts = shifts;
        Min = min;
        Max = max;
    }

    public int InputZeroPoint { get; }

    public int OutputZeroPoint { get; }

    /// <summary>[OutC] Q31 multipliers.</summary>
    public int[] Multipliers { get; }

    /// <summary>[OutC] power-of-two shifts (positive = left).</summary>
    public int[] Shifts { get; }

    /// <summary>Output clamp in int8 units (the fused Relu/Relu6/Clip, intersected with -128..127).</summary>
    public int Min { get; }

    public int Max { get; }

    /// <summary>y = clamp(z_y + round(acc * M_o), Min, Max), rounded once (FixedPoint.MultiplyByQuantizedMultiplierSingleRounding).</summary>
    public sbyte Output(int acc, int o)
    {
        int v = OutputZeroPoint + Quantization.FixedPoint.MultiplyByQuantizedMultiplierSingleRounding(acc, Multipliers[o], Shifts[o]);
        return (sbyte)(v < Min ? Min : v > Max ? Max : v);
    }
}
