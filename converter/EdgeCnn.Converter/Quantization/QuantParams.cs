using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Converter.Quantization;

/// <summary>
/// The converter's side of the int8 scheme (OPERATORS.md): per-tensor asymmetric activations, per-channel symmetric weights
/// in [-127, 127], int32 bias in accumulator units. Shared by the quantizer and the QDQ importer/exporter.
/// </summary>
public static class QuantParams
{
    /// <summary>The smallest scale given out: keeps requantization multipliers finite for a tensor that is all zeros.</summary>
    public const float MinScale = 1e-12f;

    /// <summary>Per-tensor asymmetric int8 for the real range [low, high] (widened to contain 0 so 0 is exact).</summary>
    public static QuantizationInfo Activation(float low, float high)
    {
        double lo = Math.Min(low, 0f), hi = Math.Max(high, 0f);
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
        {
            throw new ArgumentException($"activation range [{low}, {high}] is not finite", nameof(low));
        }

        double scale = Math.Max((hi - lo) / 255.0, MinScale);
        int zeroPoint = (int)Math.Clamp(Math.Round(-128.0 - (lo / scale), MidpointRounding.ToEven), -128, 127);
        return QuantizationInfo.PerTensor((float)scale, zeroPoint);
    }

    /// <summary>Per-tensor symmetric-range int8 of a constant used as an activation (e.g. the constant side of an Add).</summary>
    public static (sbyte[] Values, QuantizationInfo Quantization) Constant(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        float lo = 0f, hi = 0f;
        foreach (float v in values)
        {
            lo = MathF.Min(lo, v);
            hi = MathF.Max(hi, v);
        }

        QuantizationInfo q = Activation(lo, hi);
        return (Array.ConvertAll(values, v => QuantMath.QuantizeToInt8(v, q.Scale, q.ZeroPoint)), q);
    }

    /// <summary>
    /// Per-channel symmetric int8 weights: channel c (index on <paramref name="axis"/>) gets s_c = max|w_c| / 127 and
    /// q = round_half_even(w / s_c) in [-127, 127] (never -128, so the negated range is symmetric as TFLite requires).
    /// </summary>
    public static (sbyte[] Values, float[] Scales) Weights(float[] w, int[] shape, int axis)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(shape);
        int channels = shape[axis];
        long inner = 1;
        for (int d = axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        var maxAbs = new float[channels];
        for (long i = 0; i < w.Length; i++)
        {
            int c = (int)(i / inner % channels);
            maxAbs[c] = MathF.Max(maxAbs[c], MathF.Abs(w[i]));
        }

        float[] scales = Array.ConvertAll(maxAbs, m => m > 0f && float.IsFinite(m) ? m / 127f : 1f);
        var q = new sbyte[w.Length];
        for (long i = 0; i < w.Length; i++)
        {
            float s = scales[(int)(i / inner % channels)];
            q[i] = (sbyte)Math.Clamp(MathF.Round(w[i] / s, MidpointRounding.ToEven), -127f, 127f);
        }

        return (q, scales);
    }

    /// <summary>
    /// int32 bias in accumulator units: q = round_half_even(b / (s_x * s_w[c])), saturated, with c = index % channels (the
    /// bias's last axis is the output channel, including LocallyConnected2D's [outH, outW, O] form).
    /// </summary>
    public static int[] Bias(float[] b, float inputScale, float[] weightScales)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(weightScales);
        var q = new int[b.Length];
        for (int i = 0; i < b.Length; i++)
        {
            double s = (double)inputScale * weightScales[i % weightScales.Length];
            q[i] = (int)Math.Clamp(Math.Round(b[i] / s, MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        }

        return q;
    }

    /// <summary>The axis of the output channel in a weighted op's weights.</summary>
    public static int WeightAxis(OpCode op) => op is OpCode.TiledConv2D or OpCode.LocallyConnected2D ? 2 : 0;

    public static bool IsWeighted(OpCode op) =>
        op is OpCode.Conv or OpCode.ConvTranspose or OpCode.Dense or OpCode.TiledConv2D or OpCode.LocallyConnected2D;

    /// <summary>Ops whose int8 output must carry (or exactly keeps) its input's quantization.</summary>
    public static bool KeepsInputQuantization(OpCode op) =>
        op is OpCode.Flatten or OpCode.Reshape or OpCode.Squeeze or OpCode.Unsqueeze or OpCode.Dropout or OpCode.Transpose
            or OpCode.Pad or OpCode.Resize or OpCode.MaxPool or OpCode.GlobalMaxPool or OpCode.Maxout or OpCode.ChannelClip;

    /// <summary>Ops that only move data: they take the precision their input already has instead of forcing a boundary.</summary>
    public static bool FollowsInput(OpCode op) =>
        op is OpCode.Flatten or OpCode.Reshape or OpCode.Squeeze or OpCode.Unsqueeze or OpCode.Dropout or OpCode.Transpose;

    /// <summary>Ops whose constant inputs are activations (quantized per tensor); other ops keep fp32 parameters.</summary>
    public static bool QuantizesConstantInputs(OpCode op) =>
        op is OpCode.Add or OpCode.Sub or OpCode.Mul or OpCode.Div or OpCode.Concat;
}
