using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Ops;

/// <summary>Rules and Plan steps shared by the convolution family (Conv, ConvTranspose, LocallyConnected2D, TiledConv2D, Dense).</summary>
internal static class ConvSupport
{
    /// <summary>
    /// Longest int8 reduction (terms summed per output) accepted: each term (x - z_x) * w is at most 255 * 128 = 32640 in
    /// magnitude, and 65536 * 32640 = 2,139,095,040 &lt; 2^31 - 1, so the int32 accumulator cannot overflow before the bias.
    /// </summary>
    public const long MaxInt8Reduction = 65536;

    public static readonly AttributeKey[] ActivationKeys = [AttributeKey.Activation, AttributeKey.ActivationMin, AttributeKey.ActivationMax, AttributeKey.Alpha];

    /// <summary>Reads and checks the fused activation. int8 accepts only the clamp kinds, which become an output clamp.</summary>
    public static FusedActivationSpec ReadActivation(NodeContext ctx, bool int8)
    {
        int kind = ctx.Int(AttributeKey.Activation, (int)FusedActivation.None);
        if (kind is < 0 or > (int)FusedActivation.HardSwish)
        {
            throw ctx.Fail($"activation {kind} is unknown (0 none, 1 relu, 2 relu6, 3 clip, 4 leaky_relu, 5 hard_swish)");
        }

        var a = (FusedActivation)kind;
        if (int8 && a is FusedActivation.LeakyRelu or FusedActivation.HardSwish)
        {
            throw ctx.Fail($"fused activation {a} is not supported in int8 (only None, Relu, Relu6, Clip, applied as an output clamp)");
        }

        float min = ctx.Float(AttributeKey.ActivationMin, float.NegativeInfinity);
        float max = ctx.Float(AttributeKey.ActivationMax, float.PositiveInfinity);
        if (a == FusedActivation.Clip && !(min <= max))
        {
            throw ctx.Fail($"clip activation needs ActivationMin <= ActivationMax, has {min} and {max}");
        }

        float alpha = ctx.Float(AttributeKey.Alpha, 0.01f);
        if (!float.IsFinite(alpha))
        {
            throw ctx.Fail($"leaky relu alpha must be finite, is {alpha}");
        }

        return new FusedActivationSpec(a, min, max, alpha);
    }

    /// <summary>Weights: a constant of the input's type with the given shape rank.</summary>
    public static TensorDesc RequireWeights(InferContext ctx, TensorDesc x, int rank)
    {
        TensorDesc w = ctx.RequireConstant(1);
        ctx.RequireType(1, x.Type);
        ctx.RequireRank(1, rank, rank);
        return w;
    }

    /// <summary>Optional bias (input 2): constant, fp32 for fp32 and int32 for int8, of one of the allowed shapes.</summary>
    public static void CheckBias(InferContext ctx, TensorDesc x, int[] shape, int[]? alternative = null)
    {
        if (!ctx.HasInput(2))
        {
            return;
        }

        TensorDesc b = ctx.RequireConstant(2);
        ctx.RequireType(2, x.Type == DataType.Int8 ? DataType.Int32 : DataType.Float32);
        if (!ShapeMath.SameShape(b.Shape, shape) && (alternative is null || !ShapeMath.SameShape(b.Shape, alternative)))
        {
            throw ctx.Fail($"bias '{b.Name}' has shape {ShapeMath.Format(b.Shape)}; {ShapeMath.Format(shape)}" +
                (alternative is null ? string.Empty : $" or {ShapeMath.Format(alternative)}") + " expected");
        }

        if (b.Quantization is { } q && Array.Exists(q.ZeroPoints, z => z != 0))
        {
            throw ctx.Fail($"int32 bias '{b.Name}' must have zero point 0 (it is in accumulator units s_x * s_w)");
        }
    }

    /// <summary>
    /// int8 rules (TFLite): input per-tensor; weights symmetric (zero points 0), per-tensor or per-axis on the output channel
    /// axis; reduction short enough for an int32 accumulator.
    /// </summary>
    public static void CheckInt8(InferContext ctx, TensorDesc x, TensorDesc w, int channelAxis, int outC, long reduction)
    {
        ctx.RequirePerTensorQuant(x, "input");
        if (w.Quantization is not { } q)
        {
            throw ctx.Fail($"int8 weights '{w.Name}' need quantization (per-tensor or per-axis on axis {channelAxis})");
        }

        if (!q.IsPerTensor && (q.Axis != channelAxis || q.Scales.Length != outC))
        {
            throw ctx.Fail($"int8 weights '{w.Name}' are quantized per axis {q.Axis} with {q.Scales.Length} scales; " +
                $"per-axis weights must use the output channel axis {channelAxis} with {outC} scales");
        }

        if (Array.Exists(q.ZeroPoints, z => z != 0))
        {
            throw ctx.Fail($"int8 weights '{w.Name}' must be symmetric (all zero points 0)");
        }

        if (reduction > MaxInt8Reduction)
        {
            throw ctx.Fail($"int8 reduction of {reduction} terms per output exceeds {MaxInt8Reduction}: the int32 accumulator could overflow");
        }

        if (ctx.OutputQuant(0) is { IsPerTensor: false })
        {
            throw ctx.Fail("int8 output needs per-tensor quantization");
        }
    }

    /// <summary>Per output channel fixed-point multipliers for s_x * s_w[o] / s_y, and the activation's int8 clamp.</summary>
    public static Int8Requant BuildRequant(PlanContext ctx, int outC, FusedActivationSpec activation)
    {
        QuantizationInfo qx = ctx.Input(0).Quantization!;
        QuantizationInfo qw = ctx.Input(1).Quantization!;
        QuantizationInfo qy = ctx.Output(0).Quantization!;
        var multipliers = new int[outC];
        var shifts = new int[outC];
        for (int o = 0; o < outC; o++)
        {
            double sw = qw.IsPerTensor ? qw.Scale : qw.Scales[o];
            (multipliers[o], shifts[o]) = FixedPoint.QuantizeMultiplier((double)qx.Scale * sw / qy.Scale);
        }

        (int lo, int hi) = activation.Kind switch
        {
            FusedActivation.Relu => QuantMath.ClampRange(0f, float.PositiveInfinity, qy.Scale, qy.ZeroPoint),
            FusedActivation.Relu6 => QuantMath.ClampRange(0f, 6f, qy.Scale, qy.ZeroPoint),
            FusedActivation.Clip => QuantMath.ClampRange(activation.Min, activation.Max, qy.Scale, qy.ZeroPoint),
            _ => (-128, 127),
        };
        return new Int8Requant(qx.ZeroPoint, qy.ZeroPoint, multipliers, shifts, lo, hi);
    }

    /// <summary>Maps r = 1..3 spatial axes onto ConvGeometry's (D, H, W), leading missing axes of size 1.</summary>
    public static ConvGeometry Geometry(int batch, int[] inSpatial, int inC, int[] outSpatial, int outC, int[] kernel, int[] strides,
        int[] dilations, int[] padBegin, int group, int[]? tile = null, bool biasPerTile = false)
    {
        int r = inSpatial.Length;
        int At(int[] a, int axis, int fallback)
        {
            int i = axis - (3 - r); // axis 0..2 of (D, H, W); the op's r axes are the last r of them
            return i >= 0 ? a[i] : fallback;
        }

        return new ConvGeometry
        {
            Batch = batch,
            InD = At(inSpatial, 0, 1),
            InH = At(inSpatial, 1, 1),
            InW = At(inSpatial, 2, 1),
            InC = inC,
            OutD = At(outSpatial, 0, 1),
            OutH = At(outSpatial, 1, 1),
            OutW = At(outSpatial, 2, 1),
            OutC = outC,
            KD = At(kernel, 0, 1),
            KH = At(kernel, 1, 1),
            KW = At(kernel, 2, 1),
            StrideD = At(strides, 0, 1),
            StrideH = At(strides, 1, 1),
            StrideW = At(strides, 2, 1),
            DilationD = At(dilations, 0, 1),
            DilationH = At(dilations, 1, 1),
            DilationW = At(dilations, 2, 1),
            PadD = At(padBegin, 0, 0),
            PadH = At(padBegin, 1, 0),
            PadW = At(padBegin, 2, 0),
            Group = group,
            TileH = tile is null ? 1 : tile[0],
            TileW = tile is null ? 1 : tile[1],
            BiasPerTile = biasPerTile,
        };
    }

    /// <summary>The reference kernels index with int: a tensor of more than int.MaxValue elements is rejected.</summary>
    public static void RequireIntCount(NodeContext ctx, int[] shape, string what)
    {
        long count;
        try
        {
            count = ShapeMath.ElementCount(shape);
        }
        catch (OverflowException)
        {
            count = long.MaxValue;
        }

        if (count > int.MaxValue)
        {
            throw ctx.Fail($"{what} {ShapeMath.Format(shape)} has more than {int.MaxValue} elements");
        }
    }
}
