using System.Text;

namespace EdgeCnn.Device.Config;

/// <summary>
/// What each field allows, by JSON path (array indices written [*]). One table for the validator's messages, for parse
/// errors (a string where a number belongs) and for check-config's listing; the JSON schema in firmware-config/schema
/// says the same and a test keeps the two in step.
/// </summary>
public static class ConfigFields
{
    public const string SourceTypes = "\"v4l2\", \"images\", \"idx\", \"synthetic\"";
    public const string PixelFormats = "\"YUYV\", \"NV12\", \"GREY\", \"RGB24\", \"BGR24\", \"MJPEG\"";
    public const string ResizeModes = "\"bilinear\", \"area\", \"nearest\"";
    public const string PostprocessTypes = "\"classifier\", \"ultraface\"";

    public static IReadOnlyDictionary<string, string> Allowed { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["$"] = "an object with the fields model, source, preprocess, postprocess, rules, output, systemd, frames, warmupFrames",
        ["$.model"] = "a path to a .ecnn file, \"builtin:fashion-mnist\" or \"builtin:patterns\"",
        ["$.source"] = "an object with the fields type, device, path, labels, width, height, pixelFormat, fps, buffers, loop, seed",
        ["$.source.type"] = SourceTypes,
        ["$.source.device"] = "a V4L2 device path such as /dev/video0 or /dev/v4l/by-id/...",
        ["$.source.path"] = "a path: images: a PNG/PGM/PPM file or folder; idx: an idx3-ubyte(.gz) file (empty: the bundled frames)",
        ["$.source.labels"] = "null or a path to an idx1-ubyte(.gz) label file",
        ["$.source.width"] = "a whole number of pixels from 4 to 8192",
        ["$.source.height"] = "a whole number of pixels from 4 to 8192",
        ["$.source.pixelFormat"] = PixelFormats,
        ["$.source.fps"] = "a whole number of frames per second from 1 to 240",
        ["$.source.buffers"] = "a whole number of mmap buffers from 3 to 32",
        ["$.source.loop"] = "true or false",
        ["$.source.seed"] = "a whole number",
        ["$.preprocess"] = "an object with the fields resize, crop",
        ["$.preprocess.resize"] = "null (the model's) or " + ResizeModes,
        ["$.preprocess.crop"] = "null (the model's), \"none\" or \"center\"",
        ["$.postprocess"] = "an object with the fields type, topK, scoreThreshold, iouThreshold, maxDetections",
        ["$.postprocess.type"] = PostprocessTypes,
        ["$.postprocess.topK"] = "a whole number from 1 to the number of classes",
        ["$.postprocess.scoreThreshold"] = "a number from 0 to 1",
        ["$.postprocess.iouThreshold"] = "a number from 0 to 1",
        ["$.postprocess.maxDetections"] = "a whole number from 1 to 1000",
        ["$.rules"] = "an array of rule objects",
        ["$.rules[*]"] = "an object with the fields label, minScore, gpio, debounceMs, minHoldMs",
        ["$.rules[*].label"] = "a class label of the model (a classifier), or \"face\" (ultraface)",
        ["$.rules[*].minScore"] = "a number from 0 to 1",
        ["$.rules[*].gpio"] = "an object with the fields chip, line, activeLow",
        ["$.rules[*].gpio.chip"] = "a GPIO character device path such as /dev/gpiochip0",
        ["$.rules[*].gpio.line"] = "a line offset from 0 to 511, used by one rule only",
        ["$.rules[*].gpio.activeLow"] = "true or false",
        ["$.rules[*].debounceMs"] = "a whole number of milliseconds from 0 to 3600000",
        ["$.rules[*].minHoldMs"] = "a whole number of milliseconds from 0 to 3600000",
        ["$.output"] = "an object with the fields jsonLines, everyNthFrame",
        ["$.output.jsonLines"] = "\"stdout\", \"none\" or a file path",
        ["$.output.everyNthFrame"] = "a whole number from 0 (no frame lines) to 1000000",
        ["$.systemd"] = "an object with the field notify",
        ["$.systemd.notify"] = "true or false",
        ["$.frames"] = "a whole number of frames from 0 (until the source ends) upwards",
        ["$.warmupFrames"] = "a whole number of frames from 0 to 100000",
    };

    /// <summary>What the field at a concrete path ("$.rules[2].gpio.line") allows.</summary>
    public static string For(string jsonPath)
    {
        ArgumentNullException.ThrowIfNull(jsonPath);
        string key = Normalize(jsonPath);
        while (true)
        {
            if (Allowed.TryGetValue(key, out string? allowed))
            {
                return allowed;
            }

            int cut = Math.Max(key.LastIndexOf('.'), key.LastIndexOf('['));
            if (cut <= 0)
            {
                return Allowed["$"];
            }

            key = key[..cut]; // an unknown field: describe its parent object's fields
        }
    }

    /// <summary>"$.rules[12].gpio" to "$.rules[*].gpio".</summary>
    private static string Normalize(string path)
    {
        var sb = new StringBuilder(path.Length);
        for (int i = 0; i < path.Length; i++)
        {
            sb.Append(path[i]);
            if (path[i] == '[' && i + 1 < path.Length && char.IsAsciiDigit(path[i + 1]))
            {
                while (i + 1 < path.Length && char.IsAsciiDigit(path[i + 1]))
                {
                    i++;
                }

                sb.Append('*');
            }
        }

        return sb.ToString();
    }
}
