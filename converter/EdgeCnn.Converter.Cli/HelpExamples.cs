using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace EdgeCnn.Converter.Cli;

/// <summary>
/// Appends an "Examples:" section to the help System.CommandLine prints for a command. System.CommandLine 2.0 keeps its
/// help layout internal, so the help option's action is wrapped: the stock help first, then the command's examples.
/// </summary>
internal sealed class HelpExamples(HelpAction inner, IReadOnlyDictionary<Command, string[]> examples) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    /// <summary>Help wraps at the terminal's width, or at 100 columns when written anywhere else.</summary>
    public static void Install(RootCommand root, IReadOnlyDictionary<Command, string[]> examples)
    {
        int width = Console.IsOutputRedirected ? 100 : Math.Max(60, TerminalWidth());
        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction stock)
            {
                stock.MaxWidth = width;
                help.Action = new HelpExamples(stock, examples);
            }
        }
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 100;
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        int exit = inner.Invoke(parseResult);
        if (examples.TryGetValue(parseResult.CommandResult.Command, out string[]? lines))
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (string line in lines)
            {
                output.WriteLine($"  {line}");
            }

            output.WriteLine();
        }

        return exit;
    }
}
