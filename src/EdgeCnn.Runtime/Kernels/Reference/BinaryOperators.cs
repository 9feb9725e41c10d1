using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>fp32 a + b.</summary>
public readonly struct AddF32 : IBinaryOperator<float, float, float>
{
    public float Invoke(float a, float b) => a + b;
}

/// <summary>fp32 a - b.</summary>
public readonly struct SubF32 : IBinaryOperator<float, float, float>
{
    public float Invoke(float a, float b) => a - b;
}

/// <summary>fp32 a * b.</summary>
public readonly struct MulF32 : IBinaryOperator<float, float, float>
{
    public float Invoke(float a, float b) => a * b;
}

/// <summary>fp32 a / b (IEEE: x/0 is +-inf, 0/0 is NaN).</summary>
public readonly struct DivF32 : IBinaryOperator<float, float, float>
{
    public float Invoke(float a, float b) => a / b;
}

/// <summary>fp32 PRelu: x &lt; 0 ? slope * x : x (NaN passes through).</summary>
public readonly struct PReluF32 : IBinaryOperator<float, float, float>
{
    public float Invoke(float x, float slope) => x < 0f ? slope * x : x;
}

/// <summary>
/// int8 Add/Sub exactly as TFLite's quantized add (reference_ops::AddElementwise / SubElementwise): both inputs are moved
/// to a common scale 2 * max(s_a, s_b) with 20 bits of headroom, added (or subtracted) in int32, then requantized to the
/// output. |a - z_a| &lt;= 255 so (a - z_a) &lt;&lt; 20 &lt; 2^28 and the sum of two such stays inside int32.
/// </summary>
public readonly struct AddS8 : IBinaryOperator<sbyte, sbyte, sbyte>
{
    /// <summary>TFLite's left_shift for 8-bit add.</summary>
    public const int LeftShift = 20;

    private readonly int _zeroA, _zeroB, _zeroY;
    private readonly int _multiplierA, _shiftA, _multiplierB, _shiftB, _multiplierY, _shiftY;
    private readonly bool _subtract;

    /// <summary>Computes the multipliers (call at Plan): M_a = s_a / 2max, M_b = s_b / 2max, M_y = 2max / (2^20 s_y).</summary>
    public AddS8(float scaleA, int zeroA, float scaleB, int zeroB, float scaleY, int zeroY, bool subtract)
    {
        double twiceMax = 2 * (double)Math.Max(scaleA, scaleB);
        (_multiplierA, _shiftA) = FixedPoint.QuantizeMultiplier(scaleA / twiceMax);
        (_multiplierB, _shiftB) = FixedPoint.QuantizeMultiplier(scaleB / twiceMax);
        (_multiplierY, _shiftY) = FixedPoint.QuantizeMultiplier(twiceMax / ((1 << LeftShift) * (double)scaleY));
        _zeroA = zeroA;
        _zeroB = zeroB;
        _zeroY = zeroY;
        _subtract = subtract;
    }

    public sbyte Invoke(sbyte a, sbyte b)
    {
        // The input multipliers are <= 1/2 (shift <= 0): TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp.
        int scaledA = FixedPoint.MultiplyByQuantizedMultiplier((a - _zeroA) << LeftShift, _multiplierA, _shiftA);
        int scaledB = FixedPoint.MultiplyByQuantizedMultiplier((b - _zeroB) << LeftShift, _multiplierB, _shiftB);
        int raw = _subtract ? scaledA - scaledB : scaledA + scaledB;
        int y = _zeroY + FixedPoint.MultiplyByQuantizedMultiplier(raw, _multiplierY, _shiftY);
        return (sbyte)Math.Clamp(y, -128, 127);
    }
}

/// <summary>
/// int8 Mul as TFLite: y = z_y + MultiplyByQuantizedMultiplier((a - z_a) * (b - z_b), M) with M = s_a s_b / s_y.
/// The product is at most 255 * 255, far inside int32.
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly struct MulS8 : IBinaryOperator<sbyte, sbyte, sbyte>
{
    private readonly int _zeroA, _zeroB, _zeroY, _multiplier, _shift;

    public MulS8(float scaleA, int zeroA, float scaleB, int zeroB, float scaleY, int zeroY)
    {
        (_multiplier, _shift) = FixedPoint.QuantizeMultiplier((double)scaleA * scaleB / scaleY);
        _zeroA = zeroA;
        _zeroB = zeroB;
        _zeroY = zeroY;
    }

    public sbyte Invoke(sbyte a, sbyte b)
    {
        int y = _zeroY + FixedPoint.MultiplyByQuantizedMultiplier((a - _zeroA) * (b - _zeroB), _multiplier, _shift);
        return (sbyte)Math.Clamp(y, -128, 127);
    }
}

/// <summary>int8 Div via fp32: quantize_y(dequantize_a(a) / dequantize_b(b)); x/0 saturates, 0/0 gives z_y.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly struct DivS8 : IBinaryOperator<sbyte, sbyte, sbyte>
{
    private readonly float _scaleA, _scaleB, _scaleY;
    private readonly int _zeroA, _zeroB, _zeroY;

    public DivS8(float scaleA, int zeroA, float scaleB, int zeroB, float scaleY, int zeroY)
    {
        (_scaleA, _zeroA, _scaleB, _zeroB, _scaleY, _zeroY) = (scaleA, zeroA, scaleB, zeroB, scaleY, zeroY);
    }

    public sbyte Invoke(sbyte a, sbyte b) =>
        QuantMath.QuantizeToInt8(QuantMath.Dequantize(a, _scaleA, _zeroA) / QuantMath.Dequantize(b, _scaleB, _zeroB), _scaleY, _zeroY);
}

/// <summary>
/// int8 PRelu via fp32: quantize_y(prelu(dequantize_x(x), slope)). The slope operand is fp32: an int8 slope constant is
/// dequantized once at Plan (per-tensor or per-axis), so both slope kinds share this operator.
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly struct PReluS8 : IBinaryOperator<sbyte, float, sbyte>
{
    private readonly float _scaleX, _scaleY;
    private readonly int _zeroX, _zeroY;

    public PReluS8(float scaleX, int zeroX, float scaleY, int zeroY)
    {
        (_scaleX, _zeroX, _scaleY, _zeroY) = (scaleX, zeroX, scaleY, zeroY);
    }

    public sbyte Invoke(sbyte x, float slope)
    {
        float real = QuantMath.Dequantize(x, _scaleX, _zeroX);
        return QuantMath.QuantizeToInt8(real < 0f ? slope * real : real, _scaleY, _zeroY);
    }
}
