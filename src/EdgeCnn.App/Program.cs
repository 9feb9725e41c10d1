using System.Globalization;

namespace EdgeCnn.App;

/// <summary>edgecnn-run: the device binary. With no arguments it runs the demo on its embedded default.</summary>
internal static class Program
{
    private const string Usage = """
        edgecnn-run: run EdgeCnn models on a device

        usage:
          edgecnn-run [demo] [--frames N] [--save-model PATH]
              run the embedded Fashion-MNIST classifier on its bundled test frames (up to 1000, default 100);
              print predictions, accuracy, latency and allocations
          edgecnn-run demo --synthetic [--frames N] [--save-model PATH]
              the same loop with a built-in pattern classifier on synthetic stripes and checkerboards
          edgecnn-run inspect MODEL.ecnn
              verify a model file and print its tensors, nodes, kernels and arena plan
          edgecnn-run bench MODEL.ecnn [--threads N] [--iterations N] [--warmup N] [--json]
              time a model: p50/p90/p99 latency, GMAC/s and % of this core's measured peak in total and per layer,
              bytes allocated per run, gen0 collections, peak RSS (defaults: 1 thread, 50 runs after 5 warm-up runs and at least 0.5 s)
          edgecnn-run --help
        """;

    public static int Main(string[] args)
    {
        try
        {
            string command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "demo";
            string[] rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
            switch (command)
            {
                case "demo" when !rest.Contains("--help"):
                    return rest.Contains("--synthetic")
                        ? DemoCommand.RunSynthetic(IntOption(rest, "--frames", 300), StringOption(rest, "--save-model"), Console.Out)
                        : EmbeddedDefault.Run(IntOption(rest, "--frames", 100), StringOption(rest, "--save-model"), Console.Out);
                case "inspect" when rest.Length == 1:
                    return InspectCommand.Run(rest[0], Console.Out);
                case "bench" when !rest.Contains("--help"):
                    return Commands.BenchCommand.Run(rest, Console.Out);
                default:
                    Console.Out.WriteLine(Usage);
                    return command is "demo" or "help" || rest.Contains("--help") ? 0 : 2;
            }
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"edgecnn-run: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (Runtime.Format.EcnnFormatException e)
        {
            Console.Error.WriteLine($"edgecnn-run: {e.Message}");
            return 3;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"edgecnn-run: {e.Message}");
            return 3;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"edgecnn-run: {e.Message}");
            return 3;
        }
    }

    private static string? StringOption(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return null;
        }

        return i + 1 < args.Length ? args[i + 1] : throw new UsageException($"{name} needs a value");
    }

    private static int IntOption(string[] args, string name, int defaultValue)
    {
        string? s = StringOption(args, name);
        if (s is null)
        {
            return defaultValue;
        }

        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v
            : throw new UsageException($"{name} must be a positive whole number, not '{s}'");
    }
}

internal sealed class UsageException(string message) : Exception(message);
