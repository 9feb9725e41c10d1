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
          edgecnn-run demo --synthetic [--frames N] [--save-model PATH] [--save-frames PREFIX]
              the same loop with a built-in pattern classifier on synthetic stripes and checkerboards
              (--save-frames writes the frames as PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte)
          edgecnn-run inspect MODEL.ecnn
              verify a model file and print its tensors, nodes, kernels and arena plan
          edgecnn-run bench MODEL.ecnn [--threads N] [--iterations N] [--warmup N] [--json]
              time a model: p50/p90/p99 latency, GMAC/s and % of this core's measured peak in total and per layer,
              bytes allocated per run, gen0 collections, peak RSS (defaults: 1 thread, 50 runs after 5 warm-up runs and at least 0.5 s)
          edgecnn-run run --config edgecnn.json [--frames N] [--json-lines stdout|none|FILE]
              the device loop: camera or file frames -> model -> top-k / detections -> GPIO rules, JSON lines,
              systemd watchdog; a summary (frames, bytes allocated and gen0 collections after warm-up) on stderr
          edgecnn-run check-config edgecnn.json
              validate a config and the model it names without opening camera or GPIO
          edgecnn-run bench --config edgecnn.json [--frames N] [--warmup N] [--cold-starts N]
              cold start to first result, and per-frame latency split into capture, preprocess, inference, action
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
                        ? DemoCommand.RunSynthetic(IntOption(rest, "--frames", 300), StringOption(rest, "--save-model"), StringOption(rest, "--save-frames"), Console.Out)
                        : EmbeddedDefault.Run(IntOption(rest, "--frames", 100), StringOption(rest, "--save-model"), Console.Out);
                case "inspect" when rest.Length == 1:
                    return InspectCommand.Run(rest[0], Console.Out);
                case "run" when !rest.Contains("--help"):
                    return RunCommand.Run(RequiredOption(rest, "--config"), LongOption(rest, "--frames"), StringOption(rest, "--json-lines"), Console.Error);
                case "check-config" when rest.Length == 1:
                    return CheckConfigCommand.Run(rest[0], Console.Out);
                case "bench" when rest.Contains("--config"):
                    return PipelineBenchCommand.Run(RequiredOption(rest, "--config"), IntOption(rest, "--frames", 1000), IntOption(rest, "--warmup", 100, allowZero: true), IntOption(rest, "--cold-starts", 5, allowZero: true), Console.Out);
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
        catch (Device.Config.ConfigException e)
        {
            Console.Error.WriteLine($"edgecnn-run: config error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is Vision.Capture.CameraException or Device.Gpio.GpioException or InvalidDataException or DllNotFoundException or FormatException)
        {
            Console.Error.WriteLine($"edgecnn-run: {e.Message}");
            return 3;
        }
        catch (RunFailedException e)
        {
            Console.Error.WriteLine($"edgecnn-run: {e.Message}");
            return 3;
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

    private static string RequiredOption(string[] args, string name) => StringOption(args, name) ?? throw new UsageException($"{name} is required");

    private static int IntOption(string[] args, string name, int defaultValue, bool allowZero = false)
    {
        string? s = StringOption(args, name);
        if (s is null)
        {
            return defaultValue;
        }

        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && (v > 0 || (allowZero && v == 0))
            ? v
            : throw new UsageException($"{name} must be a {(allowZero ? "non-negative" : "positive")} whole number, not '{s}'");
    }

    private static long? LongOption(string[] args, string name)
    {
        string? s = StringOption(args, name);
        if (s is null)
        {
            return null;
        }

        return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v > 0
            ? v
            : throw new UsageException($"{name} must be a positive whole number, not '{s}'");
    }
}

internal sealed class UsageException(string message) : Exception(message);

/// <summary>A command could not do its work for a reason it states (exit code 3, no stack trace).</summary>
internal sealed class RunFailedException(string message) : Exception(message);
