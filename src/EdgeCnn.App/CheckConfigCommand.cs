using System.Globalization;
using EdgeCnn.Device.Config;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.App;

/// <summary>
/// edgecnn-run check-config FILE: parses and validates the config, loads and plans the model it names, and checks the
/// rules' labels against the model's, without opening the camera or GPIO. Prints what would run.
/// </summary>
internal static class CheckConfigCommand
{
    public static int Run(string path, TextWriter output)
    {
        EdgeConfig config = ConfigLoader.Load(path);
        using InferenceSession session = InferenceSession.Load(Pipeline.PipelineParts.ModelBytes(config, path));
        _ = Pipeline.EdgePipeline.ResolveInput(config, path, session, out _); // the input the run preprocesses into
        var post = new Pipeline.Postprocessor(session, config.Postprocess, path);
        for (int i = 0; i < config.Rules.Count; i++)
        {
            if (post.LabelIndex(config.Rules[i].Label) < 0)
            {
                string at = string.Create(CultureInfo.InvariantCulture, $"$.rules[{i}].label");
                throw new ConfigException(path, at, $"'{config.Rules[i].Label}' is not a label of the model", string.Join(", ", post.Labels.Select(l => $"\"{l}\"")));
            }
        }

        CultureInfo inv = CultureInfo.InvariantCulture;
        output.WriteLine($"{path}: OK");
        output.WriteLine(string.Create(inv, $"  model   {config.Model}: input {session.Inputs[0].Type} [{string.Join(",", session.Inputs[0].Shape)}], {post.Labels.Length} labels, arena {session.ArenaBytes} bytes"));
        SourceConfig s = config.Source;
        output.WriteLine(s.Type is "v4l2"
            ? string.Create(inv, $"  source  v4l2 {s.Device} {s.PixelFormat} {s.Width}x{s.Height} @ {s.Fps} fps, {s.Buffers} buffers")
            : $"  source  {s.Type} {(s.Path.Length > 0 ? s.Path : "(bundled frames)")}{(s.Loop ? " (loop)" : string.Empty)}");
        output.WriteLine($"  post    {config.Postprocess.Type}");
        foreach (RuleConfig r in config.Rules)
        {
            output.WriteLine(string.Create(inv, $"  rule    {r.Label} >= {r.MinScore} -> {r.Gpio.Chip} line {r.Gpio.Line}{(r.Gpio.ActiveLow ? " (active low)" : string.Empty)}, debounce {r.DebounceMs} ms, hold {r.MinHoldMs} ms"));
        }

        output.WriteLine($"  output  {config.Output.JsonLines}");
        return 0;
    }
}
