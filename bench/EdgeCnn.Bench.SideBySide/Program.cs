using EdgeCnn.Bench.OnnxRuntime;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.SideBySide;

/// <summary>edgecnn-sidebyside: see <see cref="SideBySideOptions.Usage"/>. Exit 0 when every model ran and agreed.</summary>
internal static class Program
{
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
        string? int8Folder = null;
        if (options.Int8)
        {
            int8Folder = options.Int8Folder is not null
                ? Directory.CreateDirectory(options.Int8Folder).FullName
                : Directory.CreateTempSubdirectory("edgecnn-sbs-int8-").FullName;
        }

        try
        {
            foreach (string onnx in options.Models)
            {
                string name = SideBySideOptions.NameOf(onnx);
                ConversionResult? fp32Model = null;
                results.Add(Measure(log, name, "fp32", onnx, () => (fp32Model = OnnxConverter.Convert(onnx)).Ecnn, runner));
                if (int8Folder is not null)
                {
                    results.Add(MeasureInt8(log, name, onnx, fp32Model, root, int8Folder, options, runner));
                }
            }
        }
        finally
        {
            if (int8Folder is not null && options.Int8Folder is null)
            {
                Directory.Delete(int8Folder, recursive: true);
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
        output.Write(ResultsWriter.Calibration(results));
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

        return results.All(r => r.Ok) ? 0 : 1;
    }

    /// <summary>
    /// Quantizes the fp32 conversion in-process and runs the int8 .ecnn beside ONNX Runtime on its QDQ export. A model the
    /// fp32 conversion already refused is a row saying so; a quantizer or exporter refusal is a row with its error.
    /// </summary>
    private static PairResult MeasureInt8(TextWriter log, string name, string onnx, ConversionResult? fp32, string? root, string folder,
        SideBySideOptions options, PairRunner runner)
    {
        if (fp32 is null)
        {
            return new PairResult(name, "int8", onnx) { Error = "not quantized: the fp32 conversion failed (see the fp32 row)" };
        }

        Int8Pair? pair = null;
        string? calibration = null;
        PairResult r = Measure(log, name, "int8", onnx, () =>
        {
            CalibrationChoice choice = Int8Calibration.Choose(name, onnx, root, options);
            calibration = choice.Why;
            log.WriteLine($"{name} (int8): calibrating on {choice.Why}");
            pair = InProcessInt8.Convert(name, fp32, choice, folder);
            return (pair.Ecnn, pair.QdqPath, pair.Input);
        }, runner);
        return r with { Calibration = pair?.Calibration ?? calibration, Fp32Layers = pair?.Fp32Layers };
    }

    private static PairResult Measure(TextWriter log, string name, string precision, string onnx, Func<byte[]> ecnn, PairRunner runner) =>
        Measure(log, name, precision, onnx, () => (ecnn(), onnx, null), runner);

    /// <param name="make">The .ecnn, the ONNX file ONNX Runtime runs, and the input to feed both (null: random).</param>
    private static PairResult Measure(TextWriter log, string name, string precision, string onnx, Func<(byte[] Ecnn, string Onnx, float[]? Input)> make, PairRunner runner)
    {
        log.WriteLine($"{name} ({precision}): converting and running...");
        try
        {
            (byte[] ecnn, string onnxRun, float[]? input) = make();
            PairResult r = runner.Run(name, precision, ecnn, onnxRun, input);
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
