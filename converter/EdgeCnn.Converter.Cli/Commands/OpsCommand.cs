using System.CommandLine;
using System.Globalization;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Runtime.Ops;
using Spectre.Console;

namespace EdgeCnn.Converter.Cli.Commands;

/// <summary>`edgecnn-convert ops`: the runtime's operators, then the ONNX ops the converter takes and what each becomes.</summary>
internal static class OpsCommand
{
    public static readonly string[] Examples = ["edgecnn-convert ops", "edgecnn-convert ops | grep Conv"];

    public static Command Create()
    {
        var command = new Command("ops", "List the operators the EdgeCnn runtime executes (code, inputs, attributes), then " +
            "the ONNX ops the converter supports: opset range and the runtime operators each becomes.");
        command.SetAction(pr => Run(new CliOutput(pr.InvocationConfiguration.Output)));
        return command;
    }

    private static int Run(CliOutput output)
    {
        output.Line("Runtime operators", "bold");
        Table runtime = CliOutput.NewTable("code", "operator", "inputs", "attributes");
        runtime.Columns[0].RightAligned();
        foreach (Operator op in OpRegistry.All)
        {
            CliOutput.AddRow(runtime, ((int)op.Code).ToString(CultureInfo.InvariantCulture), op.Name,
                string.Create(CultureInfo.InvariantCulture, $"{op.MinInputs}..{op.MaxInputs}"), string.Join(", ", op.Attributes));
        }

        output.Write(runtime);
        output.Line();
        OnnxOpSupport[] onnx = [.. OnnxOpTable.All];
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"ONNX ops ({onnx.Length}; models of opset {OnnxOpTable.MinOpset} to {OnnxOpTable.MaxOpset})"), "bold");
        if (onnx.Length == 0)
        {
            output.Line("(none yet)");
            return 0;
        }

        Table table = CliOutput.NewTable("ONNX op", "opsets", "becomes");
        foreach (OnnxOpSupport s in onnx)
        {
            CliOutput.AddRow(table, s.OpType, string.Create(CultureInfo.InvariantCulture, $"{s.MinOpset}-{s.MaxOpset}"), s.Becomes);
        }

        output.Write(table);
        return 0;
    }
}
