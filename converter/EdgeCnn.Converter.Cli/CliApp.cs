using System.Globalization;
using EdgeCnn.Converter.Reports;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Converter.Cli;

/// <summary>
/// edgecnn-convert. This first cut has `ops` and `inspect`; ONNX conversion (`convert`, `test`) arrives with the ONNX
/// importer, and the command-line parsing moves to System.CommandLine then.
/// </summary>
internal static class CliApp
{
    public const string Usage = """
        edgecnn-convert: desktop tools for .ecnn models

        usage:
          edgecnn-convert ops                 list the operators the runtime supports, with their attributes
          edgecnn-convert inspect MODEL.ecnn  per layer: op, kernel, shapes, parameters, MACs, arena offset and bytes; totals
          edgecnn-convert --help
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return args switch
            {
                ["ops"] => Ops(output),
                ["inspect", string path] => Inspect(path, output),
                [] or ["--help"] or ["-h"] or ["help"] => Help(output),
                _ => BadUsage(args, error),
            };
        }
        catch (EcnnFormatException e)
        {
            error.WriteLine($"edgecnn-convert: {e.Message}");
            return 3;
        }
        catch (IOException e)
        {
            error.WriteLine($"edgecnn-convert: {e.Message}");
            return 3;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"edgecnn-convert: {e.Message}");
            return 3;
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }

    private static int BadUsage(string[] args, TextWriter error)
    {
        error.WriteLine($"edgecnn-convert: unknown command '{string.Join(' ', args)}'");
        error.WriteLine(Usage);
        return 2;
    }

    private static int Ops(TextWriter output)
    {
        output.WriteLine("code  operator             inputs  attributes");
        foreach (Operator op in OpRegistry.All)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(int)op.Code,4}  {op.Name,-20} {op.MinInputs}..{op.MaxInputs,-4} {string.Join(", ", op.Attributes)}"));
        }

        return 0;
    }

    private static int Inspect(string path, TextWriter output)
    {
        using InferenceSession session = InferenceSession.Load(path);
        (IReadOnlyList<LayerSummary> layers, ModelTotals totals) = ModelInspector.Inspect(session);
        CultureInfo inv = CultureInfo.InvariantCulture;
        foreach (LayerSummary l in layers)
        {
            output.WriteLine(string.Create(inv, $"[{l.Index}] {l.Name}  {l.Op}  kernel {l.Kernel}"));
            output.WriteLine($"     in   {string.Join(", ", l.Inputs)}");
            output.WriteLine($"     out  {string.Join(", ", l.Outputs)}");
            if (l.Attributes.Length > 0)
            {
                output.WriteLine($"     attr {l.Attributes}");
            }

            output.WriteLine(string.Create(inv, $"     params {l.Parameters:N0}  MACs {l.Macs:N0}  arena +{l.ArenaOffset} ({l.ArenaBytes:N0} bytes)"));
        }

        output.WriteLine(string.Create(inv,
            $"total: {layers.Count} layers, {totals.Parameters:N0} params, {totals.Macs:N0} MACs, arena {totals.ArenaBytes:N0} bytes, file {totals.FileBytes:N0} bytes"));
        return 0;
    }
}
