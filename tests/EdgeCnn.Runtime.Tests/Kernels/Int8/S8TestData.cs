using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>Seeded int8 operands for the kernel tests: values that reach the int8 extremes, and realistic requantization.</summary>
internal static class S8TestData
{
    /// <summary>Random int8 values; about one in eight is -128 or 127.</summary>
    public static sbyte[] Values(Random rng, int count)
    {
        var v = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            int pick = rng.Next(16);
            v[i] = pick == 0 ? sbyte.MinValue : pick == 1 ? sbyte.MaxValue : (sbyte)rng.Next(-128, 128);
        }

        return v;
    }

    /// <summary>Bias in accumulator units, including values large enough that the int32 sum wraps like the reference.</summary>
    public static int[] Bias(Random rng, int count, bool huge)
    {
        var b = new int[count];
        for (int i = 0; i < count; i++)
        {
            b[i] = huge && rng.Next(4) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-40000, 40000);
        }

        return b;
    }

    /// <summary>
    /// Per-channel requantization for M = s_x * s_w[o] / s_y spread over multipliers that need left shifts (M &gt; 1),
    /// right shifts up to 31 and M = 0, with the given zero points and clamp.
    /// </summary>
    public static Int8Requant Requant(Random rng, int channels, int inputZeroPoint, int outputZeroPoint, int min, int max)
    {
        var multipliers = new int[channels];
        var shifts = new int[channels];
        for (int o = 0; o < channels; o++)
        {
            double real = rng.Next(10) switch
            {
                0 => 0,
                1 => Math.Pow(2, rng.Next(-34, -20)) * (1 + rng.NextDouble()),
                2 => Math.Pow(2, rng.Next(0, 12)) * (1 + rng.NextDouble()),
                _ => Math.Pow(2, -rng.Next(4, 14)) * (1 + rng.NextDouble()),
            };
            (multipliers[o], shifts[o]) = FixedPoint.QuantizeMultiplier(real);
        }

        return new Int8Requant(inputZeroPoint, outputZeroPoint, multipliers, shifts, min, max);
    }
}
