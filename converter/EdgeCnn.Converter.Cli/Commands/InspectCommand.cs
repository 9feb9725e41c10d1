using System.CommandLine;
using System.Globalization;
using EdgeCnn.Converter.Reports;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Cli.Commands;

/// <summary>`edgecnn-convert inspect MODEL.ecnn`: per layer op, kernel, shapes, parameters, MACs, arena placement; totals.</summary>
internal static class InspectCommand
{
    public static readonly string[] Examples = ["edgecnn-convert inspect mobilenet.ecnn"];

    public static Command Create()
    {
        var model = new Argument<string>("model")
        {
            Description = "The .ecnn model to inspect (as written by `edgecnn-convert convert`).",
            HelpName = "MODEL.ecnn",
        };
        var command = new Command("inspect", "Load an .ecnn model as the device runtime would and print, for every layer, its " +
            "op, the kernel chosen, input and output shapes, parameters, multiply-accumulates (MACs), and where its output sits " +
            "in the activation arena; then the totals.")
        {
            model,
        };
        command.SetAction(pr => Run(pr.GetRequiredValue(model), new CliOutput(pr.InvocationConfiguration.Output)));
        return command;
    }

    private static int Run(string path, CliOutput output)
    {
        using InferenceSession session = InferenceSession.Load(path);
        (IReadOnlyList<LayerSummary> layers, ModelTotals totals) = ModelInspector.Inspect(session);
        CultureInfo inv = CultureInfo.InvariantCulture;
        foreach (LayerSummary l in layers)
        {
            output.Line(string.Create(inv, $"[{l.Index}] {l.Name}  {l.Op}  kernel {l.Kernel}"), "bold");
            output.Line($"     in   {string.Join(", ", l.Inputs)}");
            output.Line($"     out  {string.Join(", ", l.Outputs)}");
            if (l.Attributes.Length > 0)
            {
                output.Line($"     attr {l.Attributes}");
            }

            output.Line(string.Create(inv, $"     params {l.Parameters:N0}  MACs {l.Macs:N0}  arena +{l.ArenaOffset} ({l.ArenaBytes:N0} bytes)"));
        }

        output.Line(string.Create(inv,
            $"total: {layers.Count} layers, {totals.Parameters:N0} params, {totals.Macs:N0} MACs, arena {totals.ArenaBytes:N0} bytes, file {totals.FileBytes:N0} bytes"),
            "bold");
        return 0;
    }
}
