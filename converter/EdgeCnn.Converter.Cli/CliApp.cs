using System.CommandLine;
using System.CommandLine.Invocation;
using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Cli.Commands;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Runtime.Format;

namespace EdgeCnn.Converter.Cli;

/// <summary>
/// edgecnn-convert: converts ONNX models to .ecnn, inspects .ecnn files, lists operators and runs ONNX backend test cases.
/// Exit codes: 0 success; 1 unsupported model (convert) or a failed case (test); 2 bad usage; 3 unreadable or malformed
/// input (a missing file, a corrupt .onnx or .ecnn, an I/O error).
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Unsupported = 1;
    public const int BadUsage = 2;
    public const int BadInput = 3;

    /// <summary>Runs the command line with the given writers (the console's in Program, StringWriters in tests).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        RootCommand root = CreateRoot();
        ParseResult parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (System.CommandLine.Parsing.ParseError e in parsed.Errors)
            {
                // "Required command was not provided" only repeats what "Unrecognized command" beside it says better.
                if (parsed.Errors.Count == 1 || !e.Message.StartsWith("Required command", StringComparison.Ordinal))
                {
                    error.WriteLine($"edgecnn-convert: {e.Message}");
                }
            }

            error.WriteLine("Run 'edgecnn-convert --help' for the commands, or 'edgecnn-convert COMMAND --help' for one command.");
            return BadUsage;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (OnnxImportException e)
        {
            error.WriteLine($"edgecnn-convert: {e.Message}");
            return e.IsUnsupported ? Unsupported : BadInput;
        }
        catch (Exception e) when (e is EcnnFormatException or IOException or UnauthorizedAccessException or CalibrationException
            or InvalidDataException or Qdq.QdqExportException)
        {
            error.WriteLine($"edgecnn-convert: {e.Message}");
            return BadInput;
        }
    }

    public static RootCommand CreateRoot()
    {
        Command convert = ConvertCommand.Create();
        Command inspect = InspectCommand.Create();
        Command ops = OpsCommand.Create();
        Command test = TestCommand.Create();
        Command eval = EvalCommand.Create();
        var root = new RootCommand("edgecnn-convert: converts ONNX models to EdgeCnn's .ecnn format (channels-last, folded " +
            "constants, verified by the runtime's own reader), inspects .ecnn files, lists the supported operators, and runs " +
            "ONNX backend test cases through the converter and the runtime, and measures a classifier's top-1 accuracy. " +
            "Run 'edgecnn-convert COMMAND --help' for details.")
        {
            convert, inspect, ops, test, eval,
        };
        HelpExamples.Install(root, new Dictionary<Command, string[]>
        {
            [root] = ["edgecnn-convert convert model.onnx -o model.ecnn", "edgecnn-convert inspect model.ecnn",
                "edgecnn-convert ops", "edgecnn-convert test onnx/backend/test/data/node"],
            [convert] = ConvertCommand.Examples,
            [inspect] = InspectCommand.Examples,
            [ops] = OpsCommand.Examples,
            [test] = TestCommand.Examples,
            [eval] = EvalCommand.Examples,
        });
        return root;
    }
}
