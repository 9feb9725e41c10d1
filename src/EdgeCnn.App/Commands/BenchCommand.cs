using System.Globalization;
using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.App.Commands;

/// <summary>
/// <c>edgecnn-run bench MODEL.ecnn [--threads N] [--iterations N] [--warmup N] [--json]</c>: measures the core's peak
/// (PeakProbe), runs the model on deterministic random inputs and reports latency percentiles, GMAC/s and the fraction of
/// the peak in total and per layer, managed bytes allocated per run, gen0 collections and peak RSS.
/// </summary>
internal static class BenchCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        (string model, int threads, int iterations, int warmup, bool json) = Parse(args);
        SessionOptions options = OptionsFor(threads);

        using InferenceSession session = InferenceSession.Load(model, options); // a bad file fails before anything is timed
        FillInputs(session);
        // The roofs every layer is compared with, measured now on this core.
        PeakMeasurement fp32 = PeakProbe.Fp32();
        PeakMeasurement int8 = PeakProbe.Int8();
        BenchFigures figures = BenchMeasurement.Measure(session, threads, warmup, iterations, fp32, int8);
        if (json)
        {
            BenchReport.WriteJson(model, session, figures, output);
        }
        else
        {
            BenchReport.WriteText(model, session, figures, output);
        }

        return 0;
    }

    /// <summary>Most threads a bench session may use: more than the machine has only measures the scheduler.</summary>
    internal const int MaxThreads = 64;

    /// <summary>The session options for <paramref name="threads"/>: Run uses that many threads, the caller's included.</summary>
    internal static SessionOptions OptionsFor(int threads) =>
        threads <= MaxThreads
            ? new SessionOptions { Threads = threads }
            : throw new UsageException($"--threads {threads}: at most {MaxThreads} threads");

    internal static (string Model, int Threads, int Iterations, int Warmup, bool Json) Parse(string[] args)
    {
        string? model = null;
        int threads = 1, iterations = 50, warmup = 5;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--threads":
                    threads = Count(args, ref i, min: 1);
                    break;
                case "--iterations":
                    iterations = Count(args, ref i, min: 1);
                    break;
                case "--warmup":
                    warmup = Count(args, ref i, min: 0);
                    break;
                case var a when a.StartsWith('-'):
                    throw new UsageException($"bench: unknown option '{a}'");
                case var a when model is null:
                    model = a;
                    break;
                default:
                    throw new UsageException($"bench takes one model file; '{args[i]}' is a second one");
            }
        }

        return (model ?? throw new UsageException("bench needs a model file: edgecnn-run bench MODEL.ecnn"), threads, iterations, warmup, json);
    }

    private static int Count(string[] args, ref int i, int min)
    {
        string name = args[i];
        if (++i >= args.Length)
        {
            throw new UsageException($"{name} needs a value");
        }

        return int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= 1_000_000
            ? v
            : throw new UsageException($"{name} must be a whole number from {min} to 1000000, not '{args[i]}'");
    }

    /// <summary>Deterministic inputs (seed 1): fp32 uniform in [0, 1), int8 uniform over its range, int32 zero.</summary>
    private static void FillInputs(InferenceSession session)
    {
        var random = new Random(1);
        for (int i = 0; i < session.Inputs.Count; i++)
        {
            switch (session.Inputs[i].Type)
            {
                case DataType.Float32:
                    foreach (ref float v in session.Input<float>(i))
                    {
                        v = random.NextSingle();
                    }

                    break;
                case DataType.Int8:
                    foreach (ref sbyte v in session.Input<sbyte>(i))
                    {
                        v = (sbyte)random.Next(-128, 128);
                    }

                    break;
                default:
                    session.Input<int>(i).Clear();
                    break;
            }
        }
    }
}
