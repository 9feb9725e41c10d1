using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>The JSON form of a spec (the model's "preprocess" metadata), read and written without reflection (NativeAOT).</summary>
public sealed partial class PreprocessSpec
{
    private static readonly string[] ColorNames = ["grey", "rgb", "bgr"];
    private static readonly string[] ResizeNames = ["bilinear", "area", "nearest"];
    private static readonly string[] CropNames = ["none", "center"];
    private static readonly string[] LayoutNames = ["nchw", "nhwc"];

    /// <summary>
    /// Reads <c>{"scale": 0.0039215686, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "color": "rgb",
    /// "resize": "bilinear", "crop": "center", "layout": "nchw"}</c>. Every field is optional (defaults: scale 1, mean [0],
    /// std [1], colour and layout from the model, bilinear, no crop); names of choices are matched ignoring case; fields this
    /// version does not know (e.g. "channels") are skipped so newer metadata still loads.
    /// </summary>
    /// <exception cref="FormatException">Names the JSON path of the field ("$.resize") and what is allowed.</exception>
    public static PreprocessSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        float scale = 1f;
        float[]? mean = null, std = null;
        ColorOrder? color = null;
        TensorLayout? layout = null;
        var resize = ResizeMethod.Bilinear;
        var crop = CropMode.None;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        try
        {
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "$", "a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                string path = "$." + name;
                Expect(seen.Add(name), path, "given once (it appears twice)");
                Expect(reader.Read(), path, "a value");
                switch (name)
                {
                    case "scale":
                        scale = Number(ref reader, path);
                        break;
                    case "mean":
                        mean = Numbers(ref reader, path);
                        break;
                    case "std":
                        std = Numbers(ref reader, path);
                        break;
                    case "color":
                        color = (ColorOrder)Choice(ref reader, path, ColorNames);
                        break;
                    case "resize":
                        resize = (ResizeMethod)Choice(ref reader, path, ResizeNames);
                        break;
                    case "crop":
                        crop = (CropMode)Choice(ref reader, path, CropNames);
                        break;
                    case "layout":
                        layout = (TensorLayout)Choice(ref reader, path, LayoutNames);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            Expect(reader.TokenType == JsonTokenType.EndObject, "$", "a JSON object of fields");
            Expect(!reader.Read(), "$", "one JSON object with nothing after it");
        }
        catch (JsonException e)
        {
            throw new FormatException($"preprocess metadata is not valid JSON: {e.Message}", e);
        }

        var spec = new PreprocessSpec(scale, mean ?? [0f], std ?? [1f], color, resize, crop, layout, owned: true);
        (_, string? error) = spec.Validate();
        return error is null ? spec : throw new FormatException($"preprocess metadata: {error["preprocess ".Length..]}");
    }

    /// <summary>The spec as compact JSON that <see cref="Parse"/> reads back to an equal spec (floats written round-trip).</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("scale", Scale);
            w.WriteStartArray("mean");
            foreach (float m in _mean)
            {
                w.WriteNumberValue(m);
            }

            w.WriteEndArray();
            w.WriteStartArray("std");
            foreach (float s in _std)
            {
                w.WriteNumberValue(s);
            }

            w.WriteEndArray();
            if (Color is { } c)
            {
                w.WriteString("color", ColorNames[(int)c]);
            }

            w.WriteString("resize", ResizeNames[(int)Resize]);
            w.WriteString("crop", CropNames[(int)Crop]);
            if (Layout is { } l)
            {
                w.WriteString("layout", LayoutNames[(int)l]);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => ToJson();

    internal static string Name(ColorOrder color) => $"\"{ColorNames[(int)color]}\"";

    private static float Number(ref Utf8JsonReader reader, string path)
    {
        Expect(reader.TokenType == JsonTokenType.Number, path, "a number");
        Expect(reader.TryGetSingle(out float value) && float.IsFinite(value), path, "a number in float range");
        return value;
    }

    private static float[] Numbers(ref Utf8JsonReader reader, string path)
    {
        Expect(reader.TokenType == JsonTokenType.StartArray, path, "an array of numbers");
        var values = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(Number(ref reader, $"{path}[{values.Count.ToString(CultureInfo.InvariantCulture)}]"));
        }

        Expect(values.Count > 0, path, "at least one number");
        return [.. values];
    }

    private static int Choice(ref Utf8JsonReader reader, string path, string[] names)
    {
        string allowed = string.Join(" | ", names.Select(n => $"\"{n}\""));
        Expect(reader.TokenType == JsonTokenType.String, path, $"one of {allowed}");
        string value = reader.GetString()!;
        int index = Array.FindIndex(names, n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
        Expect(index >= 0, path, $"one of {allowed}, not \"{value}\"");
        return index;
    }

    private static void Expect(bool condition, string path, string what)
    {
        if (!condition)
        {
            throw new FormatException($"preprocess metadata: {path} must be {what}");
        }
    }
}
