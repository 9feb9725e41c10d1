namespace EdgeCnn.Runtime.Quantization;

/// <summary>Float to int8 and back, as ONNX QuantizeLinear / DequantizeLinear define it.</summary>
public static class QuantMath
{
    /// <summary>saturate(round_half_to_even(x / scale) + zeroPoint) into int8; NaN maps to the zero point.</summary>
    public static sbyte QuantizeToInt8(float x, float scale, int zeroPoint)
    {
        float r = MathF.Round(x / scale, MidpointRounding.ToEven);
        if (float.IsNaN(r))
        {
            return (sbyte)Math.Clamp(zeroPoint, -128, 127);
        }

        float v = r + zeroPoint;
        return v <= -128f ? (sbyte)-128 : v >= 127f ? (sbyte)127 : (sbyte)(int)v;
    }

    public static float Dequantize(int q, float scale, int zeroPoint) => (q - zeroPoint) * scale;

    /// <summary>
    /// The int8 range an activation clamp [min, max] (real values) maps to under (scale, zeroPoint), intersected with int8.
    /// </summary>
    public static (int Min, int Max) ClampRange(float min, float max, float scale, int zeroPoint)
    {
        int lo = float.IsNegativeInfinity(min) ? -128 : QuantizeToInt8(min, scale, zeroPoint);
        int hi = float.IsPositiveInfinity(max) ? 127 : QuantizeToInt8(max, scale, zeroPoint);
        return (lo, hi);
    }

    /// <summary>
    /// The 256-entry table of an int8 unary function: table[q + 128] = quantize(f(dequantize(q))). Built at Plan; the int8
    /// reference of every element-wise unary op is this table, so every optimized path is exact by construction.
    /// </summary>
    public static sbyte[] BuildLookupTable(Func<float, float> f, float inScale, int inZeroPoint, float outScale, int outZeroPoint)
    {
        ArgumentNullException.ThrowIfNull(f);
        var table = new sbyte[256];
        for (int q = -128; q <= 127; q++)
        {
            table[q + 128] = QuantizeToInt8(f(Dequantize(q, inScale, inZeroPoint)), outScale, outZeroPoint);
        }

        return table;
    }
}
