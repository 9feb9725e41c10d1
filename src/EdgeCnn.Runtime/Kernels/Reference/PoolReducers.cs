using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>What one pooling window computes: Begin, Add each in-input tap, End with the window's tap counts.</summary>
internal interface IPoolReducer<TIn, TOut>
{
    void Begin();

    void Add(TIn value);

    /// <param name="valid">taps inside the input</param>
    /// <param name="padded">taps inside the input or its explicit/auto pads (count_include_pad's divisor)</param>
    TOut End(int valid, int padded);
}

[StructLayout(LayoutKind.Auto)]
internal struct MaxF32 : IPoolReducer<float, float>
{
    private float _max;
    private bool _any;

    public void Begin() => (_max, _any) = (float.NegativeInfinity, false);

    public void Add(float v)
    {
        _max = !_any || v > _max || float.IsNaN(v) ? v : _max; // NaN propagates, as in ONNX
        _any = true;
    }

    public readonly float End(int valid, int padded) => _any ? _max : 0f;
}

[StructLayout(LayoutKind.Auto)]
internal struct AverageF32(bool countIncludePad) : IPoolReducer<float, float>
{
    private float _sum;

    public void Begin() => _sum = 0f;

    public void Add(float v) => _sum += v;

    public readonly float End(int valid, int padded)
    {
        int divisor = countIncludePad ? padded : valid;
        return divisor > 0 ? _sum / divisor : 0f;
    }
}

[StructLayout(LayoutKind.Auto)]
internal struct LpF32(int p) : IPoolReducer<float, float>
{
    private float _sum;

    public void Begin() => _sum = 0f;

    public void Add(float v) => _sum += Lp.Term(v, p);

    public readonly float End(int valid, int padded) => Lp.Root(_sum, p);
}

[StructLayout(LayoutKind.Auto)]
internal struct LpS8(int p, float inScale, int inZeroPoint, float outScale, int outZeroPoint) : IPoolReducer<sbyte, sbyte>
{
    private float _sum;

    public void Begin() => _sum = 0f;

    public void Add(sbyte q) => _sum += Lp.Term(QuantMath.Dequantize(q, inScale, inZeroPoint), p);

    public readonly sbyte End(int valid, int padded) => QuantMath.QuantizeToInt8(Lp.Root(_sum, p), outScale, outZeroPoint);
}

[StructLayout(LayoutKind.Auto)]
internal struct MaxS8(int inZeroPoint, int outZeroPoint, int multiplier, int shift) : IPoolReducer<sbyte, sbyte>
{
    private int _max;
    private bool _any;

    public void Begin() => (_max, _any) = (sbyte.MinValue, false);

    public void Add(sbyte q)
    {
        _max = Math.Max(_max, q);
        _any = true;
    }

    // An empty window is real 0, i.e. q = z_x.
    public readonly sbyte End(int valid, int padded) =>
        PoolKernels.Requantize((_any ? _max : inZeroPoint) - inZeroPoint, outZeroPoint, multiplier, shift);
}

[StructLayout(LayoutKind.Auto)]
internal struct AverageS8(bool countIncludePad, int inZeroPoint, int outZeroPoint, int[] multipliers, int[] shifts)
    : IPoolReducer<sbyte, sbyte>
{
    private int _sum;

    public void Begin() => _sum = 0;

    public void Add(sbyte q) => _sum += q - inZeroPoint;

    // Divisor 0 (an empty window) has multiplier 0: real 0.
    public readonly sbyte End(int valid, int padded)
    {
        int divisor = countIncludePad ? padded : valid;
        return PoolKernels.Requantize(_sum, outZeroPoint, multipliers[divisor], shifts[divisor]);
    }
}

internal static class Lp
{
    public static float Term(float x, int p)
    {
        float a = MathF.Abs(x);
        return p == 1 ? a : p == 2 ? a * a : MathF.Pow(a, p);
    }

    public static float Root(float sum, int p) => p == 1 ? sum : p == 2 ? MathF.Sqrt(sum) : MathF.Pow(sum, 1f / p);
}
