using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>The parts of the requantization a layer needs; the rest is the identity for every one of its channels.</summary>
[Flags]
public enum S8RequantShape
{
    /// <summary>No channel shifts left, the clamp is [-128, 127]: only the multiply and the rounding shift.</summary>
    None = 0,

    /// <summary>Some channel has a left shift (a multiplier of 1 or more).</summary>
    LeftShift = 1,

    /// <summary>Min is above -128 (a fused ReLU, or a narrower clamp).</summary>
    ClampMin = 2,

    /// <summary>Max is below 127.</summary>
    ClampMax = 4,
}

/// <summary>Plan-time helpers of <see cref="S8RequantShape"/>.</summary>
public static class S8RequantShapes
{
    public static S8RequantShape Of(Int8Requant requant, int channels)
    {
        ArgumentNullException.ThrowIfNull(requant);
        S8RequantShape s = S8RequantShape.None;
        for (int o = 0; o < channels; o++)
        {
            if (requant.Shifts[o] > 0)
            {
                s |= S8RequantShape.LeftShift;
            }
        }

        s |= requant.Min > sbyte.MinValue ? S8RequantShape.ClampMin : S8RequantShape.None;
        return s | (requant.Max < sbyte.MaxValue ? S8RequantShape.ClampMax : S8RequantShape.None);
    }
}
