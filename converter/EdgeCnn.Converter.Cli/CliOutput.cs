using Spectre.Console;

namespace EdgeCnn.Converter.Cli;

/// <summary>
/// Where a command writes. On a terminal: colour and Unicode tables (Spectre.Console). Anywhere else (a pipe, a file, a
/// test's StringWriter): plain text, ASCII tables, no escape codes and no wrapping, so the output greps and diffs.
/// </summary>
internal sealed class CliOutput
{
    private readonly TextWriter _writer;
    private readonly IAnsiConsole _console;

    public CliOutput(TextWriter writer)
    {
        _writer = writer;
        IsTerminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!IsTerminal)
        {
            _console.Profile.Width = 1000; // tables take only the width they need; nothing should wrap in a log
        }
    }

    /// <summary>True when writing to an interactive terminal (colour and Unicode on).</summary>
    public bool IsTerminal { get; }

    public void Line(string text = "") => _writer.WriteLine(text);

    /// <summary>A line whose leading part (up to the first ": " or the whole) is coloured on a terminal.</summary>
    public void Line(string text, string style)
    {
        if (IsTerminal)
        {
            _console.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
        }
        else
        {
            _writer.WriteLine(text);
        }
    }

    /// <summary>"label verdict", with only the verdict coloured on a terminal.</summary>
    public void Labelled(string label, string verdict, string style)
    {
        if (IsTerminal)
        {
            _console.MarkupLine($"{Markup.Escape(label)} [{style}]{Markup.Escape(verdict)}[/]");
        }
        else
        {
            _writer.WriteLine($"{label} {verdict}");
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress callback (phase, done, total): a live progress bar per phase on a
    /// terminal, one line per finished phase anywhere else (so logs show what ran without carriage-return noise).
    /// </summary>
    public T WithProgress<T>(Func<Action<string, int, int>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!IsTerminal)
        {
            string? last = null;
            T result = work((phase, done, total) =>
            {
                lock (_writer)
                {
                    if (done == total && !string.Equals(phase, last, StringComparison.Ordinal))
                    {
                        _writer.WriteLine($"{phase}: {total}/{total}");
                        last = phase;
                    }
                }
            });
            return result;
        }

        return _console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                return work((phase, done, total) =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(phase, out ProgressTask? task))
                        {
                            task = tasks[phase] = ctx.AddTask(phase, maxValue: total);
                        }

                        task.Value = done;
                    }
                });
            });
    }

    public void Write(Table table)
    {
        if (!IsTerminal)
        {
            table.Border(TableBorder.Ascii); // plain text must stay ASCII whatever encoding the writer claims
        }

        _console.Write(table);
    }

    public static Table NewTable(params string[] columns)
    {
        var t = new Table();
        foreach (string c in columns)
        {
            t.AddColumn(new TableColumn(Markup.Escape(c)));
        }

        return t;
    }

    /// <summary>A row of plain strings (escaped, so '[' in a shape is not read as markup).</summary>
    public static void AddRow(Table table, params string[] cells) => table.AddRow(cells.Select(Markup.Escape).ToArray());
}
