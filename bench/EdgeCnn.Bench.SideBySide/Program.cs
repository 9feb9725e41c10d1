using EdgeCnn.Bench.OnnxRuntime;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.SideBySide;

/// <summary>edgecnn-sidebyside: see <see cref="SideBySideOptions.Usage"/>. Exit 0 when every model ran and agreed.</summary>
internal static class Program
{
    /// <summary>Why --int8 cannot run in this build, stated in the results instead of a number.</summary>
    internal const string Int8Unavailable =
        "int8 in-process conversion needs the converter's quantizer (issue 4, branch int8-quant), which this build does not "
        + "have; convert with `edgecnn-convert convert --int8 --emit-qdq` once it has landed and compare with --pair";

    public static int Main(string[] args)
    {
        SideBySideOptions options;
        try
        {
            options = SideBySideOptions.Parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"edgecnn-sidebyside: {e.Message}");
            Console.Error.WriteLine(SideBySideOptions.Usage);
            return 2;
        }

        try
        {
            return Run(options, args, Console.Out, Console.Error);
        }
        catch (OnnxRuntimeException e)
        {
            Console.Error.WriteLine($"edgecnn-sidebyside: {e.Message}");
            return 3;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"edgecnn-sidebyside: {e.Message}");
            return 2;
        }
    }

    internal static int Run(SideBySideOptions options, string[] args, TextWriter output, TextWriter log)
    {
        PairRunner.EdgeCnnOptions(options.Threads); // refuse an unsupported thread count before any work
        DateTime started = DateTime.UtcNow;
        string? root = OnnxRuntimePackage.FindRepositoryRoot(AppContext.BaseDirectory) ?? OnnxRuntimePackage.FindRepositoryRoot(Directory.GetCurrentDirectory());
        MachineInfo machine = MachineInfo.Read(root);
        OnnxRuntimeLibrary ort = OnnxRuntimeLibrary.Load(options.OrtLibrary, log.WriteLine);
        log.WriteLine($"ONNX Runtime {ort.VersionString} from {ort.Path}; load average {machine.LoadAverage}");
        PeakMeasurement fp32 = PeakProbe.Fp32(), int8 = PeakProbe.Int8();
        log.WriteLine($"peak: {fp32}; {int8}");
        var runner = new PairRunner(ort, options, fp32, int8);

        var results = new List<PairResult>();
        foreach (string onnx in options.Models)
        {
            string name = SideBySideOptions.NameOf(onnx);
            results.Add(Measure(log, name, "fp32", onnx, () => OnnxConverter.Convert(onnx).Ecnn, runner));
            if (options.Int8)
            {
                results.Add(new PairResult(name, "int8", onnx) { Unavailable = Int8Unavailable });
            }
        }

        foreach (ModelPair pair in options.Pairs)
        {
            byte[] ecnn = File.ReadAllBytes(pair.Ecnn);
            string precision = HasInt8(ecnn) ? "int8" : "fp32";
            results.Add(Measure(log, $"{Path.GetFileName(pair.Ecnn)} vs {Path.GetFileName(pair.Onnx)}", precision, Path.GetFullPath(pair.Onnx), () => ecnn, runner));
        }

        var report = new SideBySideReport(started, "edgecnn-sidebyside " + string.Join(' ', args), machine, MachineInfo.ReadLoadAverage(),
            ort.VersionString, options, fp32, int8, results);
        output.Write(ResultsWriter.Table(results));
        output.WriteLine();
        output.Write(ResultsWriter.Layers(results));
        if (options.ResultsFile is not null)
        {
            File.WriteAllText(options.ResultsFile, ResultsWriter.Markdown(report));
            log.WriteLine($"wrote {options.ResultsFile}");
        }

        if (options.JsonFile is not null)
        {
            File.WriteAllText(options.JsonFile, ResultsWriter.Json(report));
            log.WriteLine($"wrote {options.JsonFile}");
        }

        return results.All(r => r.Ok || r.Unavailable is not null) ? 0 : 1;
    }

    private static PairResult Measure(TextWriter log, string name, string precision, string onnx, Func<byte[]> ecnn, PairRunner runner)
    {
        log.WriteLine($"{name} ({precision}): converting and running...");
        try
        {
            PairResult r = runner.Run(name, precision, ecnn(), onnx);
            log.WriteLine($"{name} ({precision}): ONNX Runtime {r.Ort!.MedianMs:F3} ms, EdgeCnn {r.EdgeCnn!.MedianMs:F3} ms, ratio {r.Ratio:F2}, "
                + $"max abs diff {r.Outputs!.MaxAbsDiff:G3} ({(r.Outputs.Agree ? "agree" : "DISAGREE")})");
            return r;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One model that cannot be converted or run is a row of the results, not the end of the run.
            log.WriteLine($"{name} ({precision}): {e.GetType().Name}: {e.Message}");
            return new PairResult(name, precision, onnx) { Error = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    private static bool HasInt8(byte[] ecnn)
    {
        using EcnnModel model = EcnnModel.Load(ecnn);
        return model.Tensors.Any(t => t.Type == DataType.Int8);
    }
}
