using System.Diagnostics;
using System.Globalization;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// How 8-bit pixels become model input, as stored in a model's "preprocess" metadata (JSON, see README.md in this folder):
/// crop (<see cref="Crop"/>), resize to the input's height x width (<see cref="Resize"/>), convert to the model's channel
/// order (<see cref="Color"/>), then x = (v * scale - mean[c]) / std[c] per channel c, written in the input's
/// <see cref="Layout"/>. <see cref="PreprocessReference"/> is the executable definition. Immutable; build one with the
/// constructor and the With- methods, or <see cref="Parse"/>.
/// </summary>
public sealed partial class PreprocessSpec
{
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <param name="scale">Multiplies each 8-bit value first (e.g. 1/255). Finite, &gt; 0.</param>
    /// <param name="mean">Subtracted after scaling: one value for every channel, or one per channel (1 or 3 entries). Default [0].</param>
    /// <param name="std">Divides last: 1 or 3 entries, each finite and &gt; 0. Default [1].</param>
    /// <param name="color">The model's channel order; null = from the model's channel count (1 grey, 3 RGB).</param>
    /// <param name="resize">Resampling to the input's height x width.</param>
    /// <param name="crop">Centre-crop the source to the input's aspect ratio first, or not.</param>
    /// <param name="layout">Which axis of the input holds channels; null = inferred from the shape (see <see cref="Resolve"/>).</param>
    public PreprocessSpec(
        float scale = 1f,
        float[]? mean = null,
        float[]? std = null,
        ColorOrder? color = null,
        ResizeMethod resize = ResizeMethod.Bilinear,
        CropMode crop = CropMode.None,
        TensorLayout? layout = null)
        : this(scale, mean is null ? [0f] : [.. mean], std is null ? [1f] : [.. std], color, resize, crop, layout, owned: true)
    {
        (string? field, string? error) = Validate();
        if (error is not null)
        {
            throw new ArgumentException(error, field);
        }
    }

    /// <summary>Takes the arrays as they are, unchecked: the caller owns them and calls <see cref="Validate"/>.</summary>
    private PreprocessSpec(float scale, float[] mean, float[] std, ColorOrder? color, ResizeMethod resize, CropMode crop, TensorLayout? layout, bool owned)
    {
        Debug.Assert(owned, "only for arrays this class owns");
        _mean = mean;
        _std = std;
        Scale = scale;
        Color = color;
        Resize = resize;
        Crop = crop;
        Layout = layout;
    }

    /// <summary>Pixels as they are: scale 1, mean 0, std 1, bilinear, no crop, colour and layout from the model.</summary>
    public static PreprocessSpec Identity { get; } = new();

    public float Scale { get; }

    /// <summary>1 entry (all channels) or one per channel, in the model's channel order. A copy: the spec is immutable.</summary>
    public float[] Mean => [.. _mean];

    /// <summary>1 entry (all channels) or one per channel, in the model's channel order. A copy: the spec is immutable.</summary>
    public float[] Std => [.. _std];

    /// <summary>The model's channel order; null when it follows from the input's channel count.</summary>
    public ColorOrder? Color { get; }

    public ResizeMethod Resize { get; }

    public CropMode Crop { get; }

    /// <summary>The input's channel axis; null when inferred from the input shape.</summary>
    public TensorLayout? Layout { get; }

    /// <summary>Mean of model channel c (the single value when there is one).</summary>
    public float MeanOf(int channel) => _mean.Length == 1 ? _mean[0] : _mean[channel];

    /// <summary>Std of model channel c (the single value when there is one).</summary>
    public float StdOf(int channel) => _std.Length == 1 ? _std[0] : _std[channel];

    public PreprocessSpec WithNormalization(float scale, float[] mean, float[] std) => new(scale, mean, std, Color, Resize, Crop, Layout);

    public PreprocessSpec WithColor(ColorOrder? color) => new(Scale, _mean, _std, color, Resize, Crop, Layout);

    public PreprocessSpec WithResize(ResizeMethod resize) => new(Scale, _mean, _std, Color, resize, Crop, Layout);

    public PreprocessSpec WithCrop(CropMode crop) => new(Scale, _mean, _std, Color, Resize, crop, Layout);

    public PreprocessSpec WithLayout(TensorLayout? layout) => new(Scale, _mean, _std, Color, Resize, Crop, layout);

    /// <summary>
    /// Resolves the spec against a model input shape (batch 1): rank 4 [1, C, H, W] or [1, H, W, C], rank 3 [C, H, W] or
    /// [H, W, C], rank 2 [H, W] (one channel). With no explicit layout, channels are on axis 1 (rank 4) / axis 0 (rank 3)
    /// when that axis is 1 or 3 — the ONNX/PyTorch convention, which wins when both ends could be channels, e.g.
    /// [1, 3, 8, 3] — otherwise on the last axis when it is 1 or 3. Channels must be 1 or 3.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is not one of those, or disagrees with the spec's colour or mean/std.</exception>
    public PreprocessTarget Resolve(ReadOnlySpan<int> inputShape)
    {
        foreach (int d in inputShape)
        {
            if (d <= 0)
            {
                throw new ArgumentException($"model input shape {ShapeText(inputShape)}: every dimension must be > 0", nameof(inputShape));
            }
        }

        ReadOnlySpan<int> chw = inputShape.Length switch
        {
            4 when inputShape[0] == 1 => inputShape[1..],
            4 => throw new ArgumentException($"model input shape {ShapeText(inputShape)}: batch must be 1", nameof(inputShape)),
            3 or 2 => inputShape,
            _ => throw new ArgumentException($"model input shape {ShapeText(inputShape)}: an image input has rank 2, 3 or 4", nameof(inputShape)),
        };

        TensorLayout layout;
        int c, h, w;
        if (chw.Length == 2)
        {
            (layout, c, h, w) = (Layout ?? TensorLayout.Nchw, 1, chw[0], chw[1]);
        }
        else
        {
            layout = Layout ?? (chw[0] is 1 or 3 ? TensorLayout.Nchw : chw[2] is 1 or 3 ? TensorLayout.Nhwc
                : throw new ArgumentException($"model input shape {ShapeText(inputShape)}: no axis of 1 or 3 channels at either end; set $.layout", nameof(inputShape)));
            (c, h, w) = layout == TensorLayout.Nchw ? (chw[0], chw[1], chw[2]) : (chw[2], chw[0], chw[1]);
        }

        if (c is not (1 or 3))
        {
            throw new ArgumentException($"model input shape {ShapeText(inputShape)} ({layout}): {c} channels; an image input has 1 or 3", nameof(inputShape));
        }

        ColorOrder color = Color ?? (c == 1 ? ColorOrder.Grey : ColorOrder.Rgb);
        if ((color == ColorOrder.Grey) != (c == 1))
        {
            throw new ArgumentException($"preprocess $.color is {Name(color)} but model input shape {ShapeText(inputShape)} ({layout}) has {c} channel(s)", nameof(inputShape));
        }

        if (_mean.Length is not 1 && _mean.Length != c || _std.Length is not 1 && _std.Length != c)
        {
            throw new ArgumentException(
                $"preprocess $.mean has {_mean.Length} and $.std {_std.Length} entries; model input shape {ShapeText(inputShape)} has {c} channel(s): each needs 1 or {c}",
                nameof(inputShape));
        }

        return new PreprocessTarget(layout, c, h, w, color);
    }

    private static string ShapeText(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>
    /// Grey 8-bit pixels into one channel of fp32 input, same size (no resize), as pixel * (scale / std) - mean / std. No
    /// allocation. Kept for the demo path; <see cref="PreprocessReference"/> defines the general arithmetic.
    /// </summary>
    public void ApplyGrey(ReadOnlySpan<byte> pixels, Span<float> input)
    {
        float a = Scale / _std[0], b = -_mean[0] / _std[0];
        for (int i = 0; i < pixels.Length; i++)
        {
            input[i] = (pixels[i] * a) + b;
        }
    }

    /// <returns>(null, null) when valid, else the parameter and the rule broken, naming the JSON path.</returns>
    private (string? Field, string? Error) Validate()
    {
        if (!(Scale > 0f) || !float.IsFinite(Scale))
        {
            return ("scale", $"preprocess $.scale must be a finite number > 0, not {Scale.ToString(CultureInfo.InvariantCulture)}");
        }

        int channels = Color switch { ColorOrder.Grey => 1, null => 3, _ => 3 };
        string counts = Color is ColorOrder.Grey ? "1 (color grey)" : "1 or 3";
        foreach ((string name, float[] values, bool positive) in new[] { ("mean", _mean, false), ("std", _std, true) })
        {
            if (values.Length is not 1 && values.Length != channels)
            {
                return (name, $"preprocess $.{name} has {values.Length} entries; it must have {counts}: one for every channel or one per channel");
            }

            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]) || (positive && !(values[i] > 0f)))
                {
                    return (name, $"preprocess $.{name}[{i}] must be a finite number{(positive ? " > 0" : "")}, not {values[i].ToString(CultureInfo.InvariantCulture)}");
                }
            }
        }

        return !Enum.IsDefined(Resize) ? ("resize", $"preprocess $.resize: {(int)Resize} is not a ResizeMethod")
            : !Enum.IsDefined(Crop) ? ("crop", $"preprocess $.crop: {(int)Crop} is not a CropMode")
            : Color is { } c && !Enum.IsDefined(c) ? ("color", $"preprocess $.color: {(int)c} is not a ColorOrder")
            : Layout is { } l && !Enum.IsDefined(l) ? ("layout", $"preprocess $.layout: {(int)l} is not a TensorLayout")
            : (null, null);
    }
}
