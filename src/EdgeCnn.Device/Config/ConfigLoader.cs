using System.Globalization;
using System.Text.Json;

namespace EdgeCnn.Device.Config;

/// <summary>
/// Reads and validates edgecnn.json. Every failure is one <see cref="ConfigException"/> naming the JSON path of the field,
/// what is wrong with it and what it allows: syntax errors, wrong types, unknown fields, nulls and out-of-range values.
/// Files the config names (model, frames) must exist; devices (camera, GPIO chip) are checked when opened, since a camera
/// may be plugged in after the service starts.
/// </summary>
public static class ConfigLoader
{
    public static EdgeConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, "$", $"cannot read the config file: {e.Message.TrimEnd('.')}", "a readable JSON file");
        }

        return Parse(json, path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    /// <param name="origin">where the JSON came from, for messages</param>
    /// <param name="baseDirectory">relative file paths in the config are resolved against this folder</param>
    public static EdgeConfig Parse(string json, string origin, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(json);
        EdgeConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ConfigJsonContext.Default.EdgeConfig);
        }
        catch (JsonException e)
        {
            string path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            throw new ConfigException(origin, path, Describe(e, json), ConfigFields.For(path));
        }

        if (config is null)
        {
            throw new ConfigException(origin, "$", "the config is null", ConfigFields.For("$"));
        }

        Resolve(config, baseDirectory);
        Validate(config, origin);
        return config;
    }

    /// <summary>Checks every value's range and the files named; throws for the first problem found.</summary>
    public static void Validate(EdgeConfig config, string origin)
    {
        ArgumentNullException.ThrowIfNull(config);
        var v = new Checker(origin);
        if (!config.Model.StartsWith("builtin:", StringComparison.Ordinal))
        {
            v.Require(File.Exists(config.Model), "$.model", $"the model file '{config.Model}' does not exist");
        }
        else
        {
            v.Require(config.Model is "builtin:fashion-mnist" or "builtin:patterns", "$.model", $"'{config.Model}' is not a built-in model");
        }

        SourceConfig s = config.Source;
        v.OneOf(s.Type, "$.source.type", ["v4l2", "images", "idx", "synthetic"]);
        v.Range(s.Width, 4, 8192, "$.source.width");
        v.Range(s.Height, 4, 8192, "$.source.height");
        v.Range(s.Fps, 1, 240, "$.source.fps");
        v.Range(s.Buffers, 3, 32, "$.source.buffers");
        v.OneOf(s.PixelFormat, "$.source.pixelFormat", ["YUYV", "NV12", "GREY", "RGB24", "BGR24", "MJPEG"]);
        switch (s.Type)
        {
            case "v4l2":
                v.Require(s.Device.Length > 0, "$.source.device", "the device path is empty");
                v.Require(s.PixelFormat is not ("YUYV" or "NV12") || s.Width % 2 == 0, "$.source.width", $"{s.PixelFormat} needs an even width, not {s.Width}");
                v.Require(!string.Equals(s.PixelFormat, "NV12", StringComparison.Ordinal) || s.Height % 2 == 0, "$.source.height", $"NV12 needs an even height, not {s.Height}");
                break;
            case "images":
                v.Require(s.Path.Length > 0, "$.source.path", "an images source needs a file or folder");
                v.Require(File.Exists(s.Path) || Directory.Exists(s.Path), "$.source.path", $"'{s.Path}' is neither a file nor a folder");
                break;
            case "idx":
                v.Require(s.Path.Length == 0 || File.Exists(s.Path), "$.source.path", $"the IDX file '{s.Path}' does not exist");
                v.Require(s.Labels is null || File.Exists(s.Labels), "$.source.labels", $"the label file '{s.Labels}' does not exist");
                break;
        }

        PreprocessConfig p = config.Preprocess;
        if (p.Resize is not null)
        {
            v.OneOf(p.Resize, "$.preprocess.resize", ["bilinear", "area", "nearest"]);
        }

        if (p.Crop is not null)
        {
            v.OneOf(p.Crop, "$.preprocess.crop", ["none", "center"]);
        }

        PostprocessConfig post = config.Postprocess;
        v.OneOf(post.Type, "$.postprocess.type", ["classifier", "ultraface"]);
        v.Range(post.TopK, 1, 1000, "$.postprocess.topK");
        v.Unit(post.ScoreThreshold, "$.postprocess.scoreThreshold");
        v.Unit(post.IouThreshold, "$.postprocess.iouThreshold");
        v.Range(post.MaxDetections, 1, 1000, "$.postprocess.maxDetections");

        var usedLines = new HashSet<(string, int)>();
        for (int i = 0; i < config.Rules.Count; i++)
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"$.rules[{i}]");
            // RespectNullableAnnotations checks properties, not collection elements: "rules": [null] arrives here
            RuleConfig? r = config.Rules[i];
            if (r is null)
            {
                throw new ConfigException(origin, at, "null is not allowed here", ConfigFields.For(at));
            }
            v.Require(r.Label.Length > 0, at + ".label", "the label is missing or empty");
            v.Unit(r.MinScore, at + ".minScore");
            v.Require(r.Gpio.Chip.Length > 0, at + ".gpio.chip", "the chip path is empty");
            v.Range(r.Gpio.Line, 0, 511, at + ".gpio.line");
            v.Require(usedLines.Add((r.Gpio.Chip, r.Gpio.Line)), at + ".gpio.line",
                string.Create(CultureInfo.InvariantCulture, $"line {r.Gpio.Line} of {r.Gpio.Chip} is already driven by an earlier rule"));
            v.Range(r.DebounceMs, 0, 3_600_000, at + ".debounceMs");
            v.Range(r.MinHoldMs, 0, 3_600_000, at + ".minHoldMs");
        }

        v.Require(config.Output.JsonLines.Length > 0, "$.output.jsonLines", "the target is empty");
        v.Range(config.Output.EveryNthFrame, 0, 1_000_000, "$.output.everyNthFrame");
        v.Require(config.Frames >= 0, "$.frames", string.Create(CultureInfo.InvariantCulture, $"{config.Frames} is negative"));
        v.Range(config.WarmupFrames, 0, 100_000, "$.warmupFrames");
    }

    /// <summary>Relative paths in the config are relative to the config file, as a user reading it expects.</summary>
    private static void Resolve(EdgeConfig c, string baseDirectory)
    {
        static string Abs(string p, string dir) => p.Length == 0 || Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(dir, p));
        if (!c.Model.StartsWith("builtin:", StringComparison.Ordinal))
        {
            c.Model = Abs(c.Model, baseDirectory);
        }

        c.Source.Path = Abs(c.Source.Path, baseDirectory);
        c.Source.Labels = c.Source.Labels is null ? null : Abs(c.Source.Labels, baseDirectory);
        if (c.Output.JsonLines is not ("stdout" or "none"))
        {
            c.Output.JsonLines = Abs(c.Output.JsonLines, baseDirectory);
        }
    }

    /// <summary>The parser's complaint without its trailing "Path: ... | LineNumber" (the path is reported separately), plus the line.</summary>
    private static string Describe(JsonException e, string json)
    {
        string message = e.Message;
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            message = "unknown field";
        }
        else if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            message = "wrong type of value";
        }
        else if (message.Contains("null values", StringComparison.Ordinal) || message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase))
        {
            message = "null is not allowed here";
        }

        _ = json;
        return e.LineNumber is long line
            ? string.Create(CultureInfo.InvariantCulture, $"{message.TrimEnd('.')} (line {line + 1}, byte {e.BytePositionInLine + 1})")
            : message.TrimEnd('.');
    }

    private readonly struct Checker(string origin)
    {
        public void Require(bool ok, string path, string problem)
        {
            if (!ok)
            {
                throw new ConfigException(origin, path, problem, ConfigFields.For(path));
            }
        }

        public void Range(long value, long min, long max, string path) =>
            Require(value >= min && value <= max, path, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range"));

        public void Unit(float value, string path) =>
            Require(value is >= 0f and <= 1f, path, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range"));

        public void OneOf(string value, string path, string[] allowed) =>
            Require(Array.IndexOf(allowed, value) >= 0, path, $"'{value}' is not one of the choices");
    }
}
