using EdgeCnn.Device.Config;

namespace EdgeCnn.Device.Tests.Config;

/// <summary>Every kind of config error names the JSON path of the field and what it allows.</summary>
public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("config").FullName;

    public ConfigLoaderTests()
    {
        File.WriteAllBytes(Path.Combine(_dir, "model.ecnn"), [1]);
        File.WriteAllBytes(Path.Combine(_dir, "frames.idx"), [1]);
        Directory.CreateDirectory(Path.Combine(_dir, "images"));
    }

    public static TheoryData<string, string, string, string> Errors() => new()
    {
        // json, path, problem fragment, allowed fragment
        { "{", "$", "expected", "an object with the fields model" },
        { "[]", "$", "wrong type", "an object with the fields model" },
        { "null", "$", "null", "an object" },
        { """{"modle": "x"}""", "$.modle", "unknown field", "an object with the fields model, source" },
        { """{"model": 3}""", "$.model", "wrong type", "a path to a .ecnn file" },
        { """{"model": "missing.ecnn"}""", "$.model", "does not exist", "a path to a .ecnn file" },
        { """{"model": "builtin:resnet"}""", "$.model", "not a built-in model", "builtin:fashion-mnist" },
        { """{"source": null}""", "$.source", "null is not allowed here", "an object with the fields type" },
        { """{"source": {"type": "webcam"}}""", "$.source.type", "'webcam' is not one of the choices", "\"v4l2\", \"images\", \"idx\", \"synthetic\"" },
        { """{"source": {"width": "640"}}""", "$.source.width", "wrong type", "from 4 to 8192" },
        { """{"source": {"width": 640.5}}""", "$.source.width", "wrong type", "whole number" },
        { """{"source": {"height": 2}}""", "$.source.height", "2 is out of range", "from 4 to 8192" },
        { """{"source": {"fps": 0}}""", "$.source.fps", "out of range", "from 1 to 240" },
        { """{"source": {"buffers": 2}}""", "$.source.buffers", "out of range", "from 3 to 32" },
        { """{"source": {"pixelFormat": "H264"}}""", "$.source.pixelFormat", "'H264'", "\"YUYV\", \"NV12\"" },
        { """{"source": {"type": "v4l2", "pixelFormat": "YUYV", "width": 641}}""", "$.source.width", "needs an even width", "from 4 to 8192" },
        { """{"source": {"type": "v4l2", "pixelFormat": "NV12", "height": 481}}""", "$.source.height", "NV12 needs an even height", "from 4 to 8192" },
        { """{"source": {"type": "v4l2", "device": ""}}""", "$.source.device", "empty", "a V4L2 device path" },
        { """{"source": {"type": "images"}}""", "$.source.path", "needs a file or folder", "PNG/PGM/PPM" },
        { """{"source": {"type": "images", "path": "nowhere"}}""", "$.source.path", "neither a file nor a folder", "PNG/PGM/PPM" },
        { """{"source": {"type": "idx", "path": "nothere.gz"}}""", "$.source.path", "does not exist", "idx3-ubyte" },
        { """{"source": {"type": "idx", "labels": "nolabels"}}""", "$.source.labels", "does not exist", "idx1-ubyte" },
        { """{"source": {"loop": "yes"}}""", "$.source.loop", "wrong type", "true or false" },
        { """{"preprocess": {"resize": "bicubic"}}""", "$.preprocess.resize", "'bicubic'", "\"bilinear\", \"area\", \"nearest\"" },
        { """{"preprocess": {"crop": "left"}}""", "$.preprocess.crop", "'left'", "\"center\"" },
        { """{"postprocess": {"type": "yolo"}}""", "$.postprocess.type", "'yolo'", "\"classifier\", \"ultraface\"" },
        { """{"postprocess": {"topK": 0}}""", "$.postprocess.topK", "out of range", "from 1 to the number of classes" },
        { """{"postprocess": {"scoreThreshold": 1.5}}""", "$.postprocess.scoreThreshold", "out of range", "from 0 to 1" },
        { """{"postprocess": {"iouThreshold": -0.1}}""", "$.postprocess.iouThreshold", "out of range", "from 0 to 1" },
        { """{"postprocess": {"maxDetections": 0}}""", "$.postprocess.maxDetections", "out of range", "from 1 to 1000" },
        { """{"rules": {}}""", "$.rules", "wrong type", "an array of rule objects" },
        { """{"rules": [null]}""", "$.rules[0]", "null is not allowed here", "an object with the fields label" },
        { """{"rules": [{"label": "a", "gpio": null}]}""", "$.rules[0].gpio", "null is not allowed here", "chip, line, activeLow" },
        { """{"rules": [{"gpio": {"line": 1}}]}""", "$.rules[0].label", "missing or empty", "a class label of the model" },
        { """{"rules": [{"label": "a", "gpio": {"line": 1}}, {"label": "b", "minScore": 2, "gpio": {"line": 2}}]}""", "$.rules[1].minScore", "out of range", "from 0 to 1" },
        { """{"rules": [{"label": "a"}]}""", "$.rules[0].gpio.line", "-1 is out of range", "from 0 to 511" },
        { """{"rules": [{"label": "a", "gpio": {"line": 600}}]}""", "$.rules[0].gpio.line", "out of range", "from 0 to 511" },
        { """{"rules": [{"label": "a", "gpio": {"line": 1}}, {"label": "b", "gpio": {"line": 1}}]}""", "$.rules[1].gpio.line", "already driven by an earlier rule", "used by one rule only" },
        { """{"rules": [{"label": "a", "gpio": {"line": 1, "chip": ""}}]}""", "$.rules[0].gpio.chip", "empty", "a GPIO character device path" },
        { """{"rules": [{"label": "a", "gpio": {"line": 1, "pin": 4}}]}""", "$.rules[0].gpio.pin", "unknown field", "chip, line, activeLow" },
        { """{"rules": [{"label": "a", "gpio": {"line": 1}, "debounceMs": -5}]}""", "$.rules[0].debounceMs", "out of range", "milliseconds from 0 to 3600000" },
        { """{"rules": [{"label": "a", "gpio": {"line": 1}, "minHoldMs": 4000000}]}""", "$.rules[0].minHoldMs", "out of range", "milliseconds from 0 to 3600000" },
        { """{"output": {"jsonLines": ""}}""", "$.output.jsonLines", "empty", "\"stdout\", \"none\" or a file path" },
        { """{"output": {"everyNthFrame": -1}}""", "$.output.everyNthFrame", "out of range", "from 0 (no frame lines)" },
        { """{"systemd": {"notify": 1}}""", "$.systemd.notify", "wrong type", "true or false" },
        { """{"frames": -1}""", "$.frames", "negative", "from 0 (until the source ends)" },
        { """{"warmupFrames": 100001}""", "$.warmupFrames", "out of range", "from 0 to 100000" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Every_error_names_the_json_path_the_problem_and_what_is_allowed(string json, string path, string problem, string allowed)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "edgecnn.json", _dir));
        Assert.Equal(path, e.JsonPath);
        Assert.StartsWith($"edgecnn.json: {path}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(allowed, e.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_object_is_the_embedded_default_and_relative_paths_resolve_against_the_config_folder()
    {
        EdgeConfig d = ConfigLoader.Parse("{}", "x", _dir);
        Assert.Equal("builtin:fashion-mnist", d.Model);
        Assert.Equal("idx", d.Source.Type);
        EdgeConfig c = ConfigLoader.Parse("""
            {
              // comments and trailing commas: configs are written by hand
              "model": "model.ecnn",
              "source": { "type": "idx", "path": "frames.idx", "loop": true, },
              "rules": [ { "label": "Sneaker", "minScore": 0.8, "gpio": { "chip": "/dev/gpiochip0", "line": 17, "activeLow": true }, "debounceMs": 50, "minHoldMs": 2000 } ],
              "output": { "jsonLines": "out/frames.jsonl" },
            }
            """, "x", _dir);
        Assert.Equal(Path.Combine(_dir, "model.ecnn"), c.Model);
        Assert.Equal(Path.Combine(_dir, "frames.idx"), c.Source.Path);
        Assert.Equal(Path.Combine(_dir, "out", "frames.jsonl"), c.Output.JsonLines);
        Assert.Equal((17, true, 2000), (c.Rules[0].Gpio.Line, c.Rules[0].Gpio.ActiveLow, c.Rules[0].MinHoldMs));
    }

    [Fact]
    public void Unreadable_file_is_a_config_error_at_the_root()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Path.Combine(_dir, "absent.json")));
        Assert.Equal("$", e.JsonPath);
        Assert.Contains("cannot read the config file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_field_of_the_config_types_has_an_allowed_text()
    {
        // the table drives parse-error messages: a field missing from it would fall back to its parent's description
        foreach (string path in new[] { "$.source.seed", "$.rules[3].gpio.activeLow", "$.preprocess.crop", "$.systemd.notify" })
        {
            Assert.True(ConfigFields.Allowed.ContainsKey(path.Replace("[3]", "[*]", StringComparison.Ordinal)), path);
        }

        Assert.Equal(ConfigFields.Allowed["$.rules[*].gpio.line"], ConfigFields.For("$.rules[12].gpio.line"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
