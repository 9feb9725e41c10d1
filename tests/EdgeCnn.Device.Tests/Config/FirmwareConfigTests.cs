using System.Text.Json;
using EdgeCnn.Device.Config;

namespace EdgeCnn.Device.Tests.Config;

/// <summary>firmware-config/: the example configs load, and the JSON schema says what the loader enforces.</summary>
public class FirmwareConfigTests
{
    private static readonly string s_root = Repo("firmware-config");

    [Theory]
    [InlineData("bundled-frames.json")]
    [InlineData("fashion-mnist-camera.json")]
    public void Example_configs_are_valid(string name)
    {
        string path = Path.Combine(s_root, "examples", name);
        EdgeConfig c = ConfigLoader.Load(path);
        Assert.Equal("builtin:fashion-mnist", c.Model);
    }

    [Fact]
    public void The_face_detector_example_is_valid_once_its_model_is_installed()
    {
        string json = File.ReadAllText(Path.Combine(s_root, "examples", "ultraface-gpio.json"));
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "ultraface-gpio.json", s_root));
        Assert.Equal("$.model", e.JsonPath); // /opt/edgecnn/models/ultraface-rfb-320.ecnn is made on the device (README)
        string model = Path.GetTempFileName();
        try
        {
            EdgeConfig c = ConfigLoader.Parse(json.Replace("/opt/edgecnn/models/ultraface-rfb-320.ecnn", model, StringComparison.Ordinal), "ultraface-gpio.json", s_root);
            Assert.Equal(("ultraface", "face", 27), (c.Postprocess.Type, c.Rules[0].Label, c.Rules[0].Gpio.Line));
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Fact]
    public void The_unit_never_gives_up_restarting_after_a_long_camera_outage()
    {
        // A camera missing at start is exit 3, and a camera gone longer than WatchdogSec is a watchdog kill: both count as
        // failed starts. With a start limit (10 in 5 min at RestartSec=2s) an outage of about half a minute left the unit
        // failed for good on an unattended device. The unit must keep retrying, slowly.
        string[] unit = File.ReadAllLines(Path.Combine(s_root, "systemd", "edgecnn.service"));
        string Value(string key) => unit.Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
        Assert.Equal("0", Value("StartLimitIntervalSec"));
        Assert.Equal("on-failure", Value("Restart"));
        Assert.True(int.Parse(Value("RestartSec").TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture) >= 5, "retries are spaced out");
    }

    [Fact]
    public void Schema_lists_exactly_the_fields_the_loader_knows_with_the_same_choices()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_root, "schema", "edgecnn.schema.json")));
        var schemaPaths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(schema.RootElement, "$", schemaPaths);
        var loaderPaths = new SortedSet<string>(ConfigFields.Allowed.Keys.Where(k => !string.Equals(k, "$", StringComparison.Ordinal)), StringComparer.Ordinal);
        Assert.Equal(loaderPaths, schemaPaths);

        JsonElement props = schema.RootElement.GetProperty("properties");
        Assert.Equal(string.Join(",", Choices(ConfigFields.SourceTypes)), string.Join(",", Enum(props.GetProperty("source").GetProperty("properties").GetProperty("type"))));
        Assert.Equal(string.Join(",", Choices(ConfigFields.PixelFormats)), string.Join(",", Enum(props.GetProperty("source").GetProperty("properties").GetProperty("pixelFormat"))));
        Assert.Equal(string.Join(",", Choices(ConfigFields.ResizeModes)), string.Join(",", Enum(props.GetProperty("preprocess").GetProperty("properties").GetProperty("resize")).Where(v => v.Length > 0)));
        Assert.Equal(string.Join(",", Choices(ConfigFields.PostprocessTypes)), string.Join(",", Enum(props.GetProperty("postprocess").GetProperty("properties").GetProperty("type"))));
    }

    private static void Walk(JsonElement node, string path, ISet<string> paths)
    {
        if (node.TryGetProperty("properties", out JsonElement properties))
        {
            foreach (JsonProperty p in properties.EnumerateObject())
            {
                string child = path + "." + p.Name;
                paths.Add(child);
                Walk(p.Value, child, paths);
            }
        }

        if (node.TryGetProperty("items", out JsonElement items))
        {
            paths.Add(path + "[*]");
            Walk(items, path + "[*]", paths);
        }
    }

    private static IEnumerable<string> Choices(string quoted) => quoted.Split(", ").Select(s => s.Trim('"'));

    private static IEnumerable<string> Enum(JsonElement e) =>
        e.GetProperty("enum").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? string.Empty : v.GetString()!);

    private static string Repo(string relative)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeCnn.sln")))
            {
                return Path.Combine(d.FullName, relative);
            }
        }

        throw new DirectoryNotFoundException("EdgeCnn.sln not found above the test binary");
    }
}
