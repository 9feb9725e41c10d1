using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// How raw 8-bit pixels become model input, as stored in a model's "preprocess" metadata:
/// <c>{"scale": 0.00392157, "mean": [0], "std": [1]}</c> means x = (pixel * scale - mean[c]) / std[c] per channel c.
/// Parsed without reflection (NativeAOT); every error names the JSON field.
/// </summary>
public sealed class PreprocessSpec
{
    private PreprocessSpec(float scale, float[] mean, float[] std)
    {
        Scale = scale;
        Mean = mean;
        Std = std;
    }

    public float Scale { get; }

    public float[] Mean { get; }

    public float[] Std { get; }

    /// <summary>Pixels as they are: scale 1, mean 0, std 1.</summary>
    public static PreprocessSpec Identity { get; } = new(1f, [0f], [1f]);

    public static PreprocessSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        float scale = 1f;
        float[] mean = [0f], std = [1f];
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        try
        {
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "$", "a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                Expect(reader.Read(), "$." + name, "a value");
                switch (name)
                {
                    case "scale":
                        scale = Number(ref reader, "$.scale");
                        break;
                    case "mean":
                        mean = Numbers(ref reader, "$.mean");
                        break;
                    case "std":
                        std = Numbers(ref reader, "$.std");
                        break;
                    default:
                        reader.Skip(); // layout, channels...: descriptive fields the pipeline does not need
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"preprocess metadata is not valid JSON: {e.Message}", e);
        }

        if (mean.Length != std.Length || std.Any(s => !(s > 0f) || !float.IsFinite(s)) || !(scale > 0f) || !float.IsFinite(scale))
        {
            throw new FormatException("preprocess metadata: $.scale must be > 0 and $.std entries > 0, one per $.mean entry");
        }

        return new PreprocessSpec(scale, mean, std);
    }

    /// <summary>Grey 8-bit pixels into one channel of fp32 input. No allocation.</summary>
    public void ApplyGrey(ReadOnlySpan<byte> pixels, Span<float> input)
    {
        float a = Scale / Std[0], b = -Mean[0] / Std[0];
        for (int i = 0; i < pixels.Length; i++)
        {
            input[i] = (pixels[i] * a) + b;
        }
    }

    private static float Number(ref Utf8JsonReader reader, string path)
    {
        Expect(reader.TokenType == JsonTokenType.Number, path, "a number");
        return reader.GetSingle();
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

    private static void Expect(bool condition, string path, string what)
    {
        if (!condition)
        {
            throw new FormatException($"preprocess metadata: {path} must be {what}");
        }
    }
}
