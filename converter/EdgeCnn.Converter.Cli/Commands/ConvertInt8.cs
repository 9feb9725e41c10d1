using System.CommandLine;
using System.Globalization;
using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Evaluation;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Converter.Reports;
using EdgeCnn.Vision.Preprocessing;
using Spectre.Console;

namespace EdgeCnn.Converter.Cli.Commands;

/// <summary>`convert --int8`: calibrate, quantize, measure, evaluate, report.</summary>
internal static class ConvertInt8
{
    public static int Run(ParseResult pr, Int8CliOptions o, string modelPath, string outputPath, ConversionResult fp32, string? preprocessJson,
        CliOutput output)
    {
        PreprocessSpec preprocess = preprocessJson is null ? PreprocessSpec.Identity : PreprocessSpec.Parse(preprocessJson);
        if (preprocessJson is null)
        {
            output.Line("note: no --preprocess given; calibration images are fed as raw pixel values (scale 1)", "yellow");
        }

        _ = CalibrationMethods.TryParse(pr.GetValue(o.Method)!, out CalibrationMethod method);
        using var probe = Runtime.Graph.InferenceSession.Load(fp32.Ecnn);
        int[] inputShape = [.. probe.Inputs[0].Shape];
        ICalibrationSource source = CalibrationSources.Open(pr.GetValue(o.Calibration)!, preprocess, inputShape, pr.GetValue(o.Samples));
        string[] keep = (pr.GetValue(o.KeepFloat) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var options = new Int8Options
        {
            Method = method,
            Percentile = pr.GetValue(o.Percentile),
            Threads = pr.GetValue(o.Threads),
            MeasureSamples = pr.GetValue(o.MeasureSamples),
            AutoKeepFloat = keep.Contains("auto", StringComparer.Ordinal),
            AutoThresholdDb = pr.GetValue(o.Threshold),
            KeepFloat = keep.Where(k => !string.Equals(k, "auto", StringComparison.Ordinal)).ToArray(),
        };

        output.Line($"calibrating on {source.Description}, method {CalibrationMethods.Name(method)}");
        Int8Result r = output.WithProgress(p => Int8Conversion.Convert(fp32, source, options, p));
        File.WriteAllBytes(outputPath, r.Ecnn);
        if (pr.GetValue(o.EmitQdq) is { } qdqPath)
        {
            Onnx.Proto.ModelProto qdq = Qdq.QdqExporter.Export(r.Model.Definition);
            File.WriteAllBytes(qdqPath, Google.Protobuf.MessageExtensions.ToByteArray(qdq));
            output.Line($"QDQ ONNX: {qdqPath} ({Qdq.QdqExporter.Describe(qdq)})");
        }

        Top1Report? top1 = null;
        if (pr.GetValue(o.Eval) is { } eval)
        {
            top1 = output.WithProgress(p => Evaluate(eval, pr.GetValue(o.EvalLabels), pr.GetValue(o.EvalLimit), fp32.Ecnn, r.Ecnn, pr.GetValue(o.Threads), p));
        }

        var report = QuantizationReport.Create(Path.GetFileName(modelPath), new FileInfo(modelPath).Length, fp32.Ecnn.LongLength, r, top1, fp32.OutputNames);
        PrintSummary(report, modelPath, outputPath, output);
        foreach (string path in pr.GetValue(o.Report) ?? [])
        {
            File.WriteAllText(path, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReportJson.Write(report) : ReportHtml.Write(report));
            output.Line($"report: {path}");
        }

        return 0;
    }

    private static Top1Report Evaluate(string eval, string? labels, int limit, byte[] fp32, byte[] int8, int threads, Action<string, int, int> progress)
    {
        if (Directory.Exists(eval))
        {
            Top1Result fa = FolderEvaluator.Top1(fp32, eval, limit, threads, (d, t) => progress("evaluating fp32", d, t));
            Top1Result fb = FolderEvaluator.Top1(int8, eval, limit, threads, (d, t) => progress("evaluating int8", d, t));
            return new Top1Report(Path.GetFileName(Path.TrimEndingDirectorySeparator(eval)), fa.Total, fa.Correct, fb.Correct);
        }

        byte[] images = File.ReadAllBytes(eval), labelBytes = File.ReadAllBytes(labels!);
        Top1Result a = ClassifierEvaluator.Top1(fp32, images, labelBytes, limit, threads, (d, t) => progress("evaluating fp32", d, t));
        Top1Result b = ClassifierEvaluator.Top1(int8, images, labelBytes, limit, threads, (d, t) => progress("evaluating int8", d, t));
        return new Top1Report(Path.GetFileName(eval), a.Total, a.Correct, b.Correct);
    }

    private static void PrintSummary(QuantizationReport r, string modelPath, string outputPath, CliOutput output)
    {
        Table table = CliOutput.NewTable("layer", "op", "precision", "range", "scale / zero point", "SQNR dB", "alone dB", "cosine");
        foreach (LayerReport l in r.Layers)
        {
            CliOutput.AddRow(table, l.Name, l.Op, l.Precision,
                string.Create(CultureInfo.InvariantCulture, $"[{l.RangeLow:G4}, {l.RangeHigh:G4}]"),
                l.IsInt8 ? string.Create(CultureInfo.InvariantCulture, $"{l.Scale:G4} / {l.ZeroPoint}") : "-",
                string.Create(CultureInfo.InvariantCulture, $"{l.SqnrDb:F1}"),
                l.IsolatedSqnrDb is { } iso ? string.Create(CultureInfo.InvariantCulture, $"{iso:F1}") : "-",
                string.Create(CultureInfo.InvariantCulture, $"{l.Cosine:F5}"));
        }

        output.Write(table);
        foreach (LayerReport l in r.Layers.Where(l => l.Reason is not null && !l.IsInt8))
        {
            output.Line($"fp32: {l.Name}: {l.Reason}");
        }

        foreach (OutputReport o in r.Outputs)
        {
            output.Line(string.Create(CultureInfo.InvariantCulture, $"output {o.Name}: SQNR {o.SqnrDb:F1} dB, cosine {o.Cosine:F5} ({r.MeasureSamples} samples)"));
        }

        if (r.Top1 is { } t)
        {
            output.Line(string.Create(CultureInfo.InvariantCulture,
                $"top-1 on {t.Images:N0} images of {t.Dataset}: fp32 {100 * t.Fp32:F2}%, int8 {100 * t.Int8:F2}% ({100 * (t.Int8 - t.Fp32):+0.00;-0.00;0.00} points)"), "bold");
        }

        int fp32Layers = r.Layers.Count(l => !l.IsInt8);
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"{modelPath} -> {outputPath}: int8 ({r.Method}, {r.CalibrationSamples} calibration samples), {r.Layers.Count - fp32Layers} int8 layers, " +
            $"{fp32Layers} fp32; {r.OnnxBytes:N0} bytes ONNX -> {r.EcnnBytes:N0} bytes ({(double)r.EcnnBytes / r.OnnxBytes:F3}x; fp32 .ecnn {r.Fp32EcnnBytes:N0})"), "green");
    }
}
