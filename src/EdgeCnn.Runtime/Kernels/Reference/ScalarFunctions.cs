namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// The scalar math of every activation, in fp32: the definition the fp32 kernels and the int8 lookup tables are built from.
/// Written for range safety (no overflow to NaN for large |x|), not speed.
/// </summary>
public static class ScalarFunctions
{
    /// <summary>max(x, 0); NaN passes through, as numpy's maximum (and so ONNX) does.</summary>
    public static float Relu(float x) => x < 0f ? 0f : x;

    /// <summary>min(max(x, min), max): NaN passes through, and min &gt; max gives max, as ONNX Clip defines.</summary>
    public static float Clip(float x, float min, float max) => MathF.Min(MathF.Max(x, min), max);

    public static float LeakyRelu(float x, float alpha) => x >= 0f ? x : alpha * x;

    public static float Elu(float x, float alpha) => x > 0f ? x : alpha * (MathF.Exp(x) - 1f);

    public static float Selu(float x, float alpha, float gamma) => x > 0f ? gamma * x : gamma * (alpha * MathF.Exp(x) - alpha);

    public static float Sigmoid(float x)
    {
        if (x >= 0f)
        {
            return 1f / (1f + MathF.Exp(-x));
        }

        float e = MathF.Exp(x);
        return e / (1f + e);
    }

    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>log(1 + e^x) without overflow: x + log(1 + e^-x) for x > 0.</summary>
    public static float Softplus(float x) => x > 0f ? x + MathF.Log(1f + MathF.Exp(-x)) : MathF.Log(1f + MathF.Exp(x));

    public static float HardSigmoid(float x, float alpha, float beta) => MathF.Max(0f, MathF.Min(1f, (alpha * x) + beta));

    /// <summary>x * relu6(x + 3) / 6, as ONNX HardSwish (alpha 1/6, beta 0.5).</summary>
    public static float HardSwish(float x) => x * MathF.Max(0f, MathF.Min(1f, (x / 6f) + 0.5f));

    public static float Silu(float x) => x * Sigmoid(x);

    /// <summary>e^x (box decoding in SSD-style detectors); overflows to +inf above ~88.7, as float does.</summary>
    public static float Exp(float x) => MathF.Exp(x);
}
