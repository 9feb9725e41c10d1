using System.CommandLine;
using System.Globalization;
using EdgeCnn.Converter.Testing;
using Spectre.Console;

namespace EdgeCnn.Converter.Cli.Commands;

/// <summary>`edgecnn-convert test DIR... [--rtol R] [--atol A] [--verbose]`: runs ONNX backend test cases.</summary>
internal static class TestCommand
{
    public static readonly string[] Examples =
    [
        "edgecnn-convert test onnx/backend/test/data/node",
        "edgecnn-convert test onnx/backend/test/data/node/test_relu onnx/backend/test/data/node/test_conv_with_strides_padding",
        "edgecnn-convert test cases/ --rtol 1e-2 --atol 1e-5 --verbose",
    ];

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Test case folders (each holding model.onnx and test_data_set_N/input_K.pb, output_K.pb), or " +
                "folders searched recursively for them, such as onnx/backend/test/data/node from the onnx repository.",
            HelpName = "DIR",
            Arity = ArgumentArity.OneOrMore,
        };
        var rtol = new Option<double>("--rtol")
        {
            Description = "Relative tolerance: an output element passes when |actual - expected| <= atol + rtol * |expected|.",
            DefaultValueFactory = _ => new BackendTestOptions().Rtol,
        };
        var atol = new Option<double>("--atol")
        {
            Description = "Absolute tolerance (see --rtol).",
            DefaultValueFactory = _ => new BackendTestOptions().Atol,
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Also print each case's op types, largest absolute error and number of data sets.",
        };
        var command = new Command("test", "Convert and run ONNX backend test cases, comparing every output with the expected " +
            "one. Prints a line per case (passed, failed with the worst element, unsupported with the reason), a table per ONNX " +
            "op, and 'N passed, M failed, K unsupported'. Exits 1 when a case failed or could not be run, else 0.")
        {
            paths, rtol, atol, verbose,
        };
        command.SetAction(pr => Run(pr.GetRequiredValue(paths), new BackendTestOptions(pr.GetValue(rtol), pr.GetValue(atol)),
            pr.GetValue(verbose), new CliOutput(pr.InvocationConfiguration.Output)));
        return command;
    }

    private static int Run(string[] paths, BackendTestOptions options, bool verbose, CliOutput output)
    {
        foreach (string p in paths)
        {
            _ = BackendTestRunner.FindCases(p); // a missing folder is an error before any case runs
        }

        BackendTestReport report = new BackendTestRunner(options).Run(paths, c => PrintCase(c, verbose, output));
        if (report.Cases.Count == 0)
        {
            output.Line($"no test case (a folder holding {BackendTestRunner.ModelFileName}) under {string.Join(", ", paths)}", "yellow");
        }
        else
        {
            output.Line();
            Table table = CliOutput.NewTable("ONNX op", "cases", "passed", "failed", "unsupported", "errors");
            for (int c = 1; c < 6; c++)
            {
                table.Columns[c].RightAligned();
            }

            foreach (BackendOpStats s in report.PerOp)
            {
                CliOutput.AddRow(table, s.OpType, N(s.Total), N(s.Passed), N(s.Failed), N(s.Unsupported), N(s.Errors));
            }

            output.Write(table);
        }

        output.Line(report.Summary, report.Succeeded ? "green" : "red");
        return report.Succeeded ? 0 : 1;
    }

    private static void PrintCase(BackendCaseResult c, bool verbose, CliOutput output)
    {
        string style = c.Status switch
        {
            BackendTestStatus.Passed => "green",
            BackendTestStatus.Unsupported => "yellow",
            _ => "red",
        };
        output.Labelled($"{c.Name}:", c.Describe(), style);
        if (verbose)
        {
            output.Line(string.Create(CultureInfo.InvariantCulture,
                $"    ops {string.Join(' ', c.OpTypes)}; {c.DataSets} data set(s); max abs error {c.MaxAbsError:G4}; {c.Path}"), "grey");
        }
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
