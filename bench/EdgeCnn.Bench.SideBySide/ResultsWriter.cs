using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeCnn.Runtime.Diagnostics;

namespace EdgeCnn.Bench.SideBySide;

/// <summary>Everything one run of the tool measured, with where and how.</summary>
internal sealed record SideBySideReport(
    DateTime StartedUtc,
    string Command,
    MachineInfo Machine,
    string LoadAtEnd,
    string OrtVersion,
    SideBySideOptions Options,
    PeakMeasurement Fp32Peak,
    PeakMeasurement Int8Peak,
    IReadOnlyList<PairResult> Results);

/// <summary>The console table, the markdown results file and the JSON figures.</summary>
internal static class ResultsWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Table(IReadOnlyList<PairResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| model | precision | MACs | ONNX Runtime p50 ms | EdgeCnn p50 ms | EdgeCnn / ORT | ORT p90 ms | EdgeCnn p90 ms | ORT min ms | EdgeCnn min ms | min / min | max abs diff | outputs |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (PairResult r in results)
        {
            if (r.Error is not null)
            {
                sb.AppendLine(Inv, $"| {r.Name} | {r.Precision} | | | | | | | | | | | error: {Escape(r.Error)} |");
                continue;
            }

            OutputCheck o = r.Outputs!;
            sb.AppendLine(Inv, $"| {r.Name} | {r.Precision} | {r.Macs:N0} | {r.Ort!.MedianMs:F3} | {r.EdgeCnn!.MedianMs:F3} | **{r.Ratio:F2}** | "
                + $"{r.Ort.P90Ms:F3} | {r.EdgeCnn.P90Ms:F3} | {r.Ort.MinMs:F3} | {r.EdgeCnn.MinMs:F3} | {r.EdgeCnn.MinMs / r.Ort.MinMs:F2} | {o.MaxAbsDiff:G3} | {(o.Agree ? "agree" : $"DISAGREE (tolerance {o.Tolerance:G3}; {Escape(o.Detail)})")} |");
        }

        return sb.ToString();
    }

    /// <summary>What each in-process int8 model was calibrated on; empty when there was none.</summary>
    public static string Calibration(IReadOnlyList<PairResult> results)
    {
        var sb = new StringBuilder();
        foreach (PairResult r in results.Where(r => r.Calibration is not null))
        {
            string kept = r.Fp32Layers is { Count: > 0 } k ? "; kept fp32 by the quantizer: " + string.Join("; ", k) : "; every layer int8";
            sb.AppendLine(Inv, $"- {r.Name}: {Escape(r.Calibration!)}{kept}");
        }

        return sb.Length == 0
            ? ""
            : "int8 models quantized in-process (the converter's quantizer: minmax ranges, per-channel weights; ONNX Runtime runs its "
                + "QDQ export, uint8 encoding), calibrated on, and timed on the first sample of:" + Environment.NewLine + Environment.NewLine + sb;
    }

    public static string Layers(IReadOnlyList<PairResult> results)
    {
        var sb = new StringBuilder();
        foreach (PairResult r in results.Where(r => r.SlowestLayers.Count > 0))
        {
            sb.AppendLine(Inv, $"**{r.Name} ({r.Precision})**: EdgeCnn's slowest layers (median of up to 5 observed runs; share of the summed layer medians)");
            sb.AppendLine();
            sb.AppendLine("| # | layer | op | kernel | ms | share | GMAC/s | % of peak |");
            sb.AppendLine("|---:|---|---|---|---:|---:|---:|---:|");
            foreach (LayerCost l in r.SlowestLayers)
            {
                string peak = l.PeakFraction is { } p ? (p * 100).ToString("F1", Inv) + "%" : "-";
                sb.Append(Inv, $"| {l.Index} | {Escape(l.Name)} | {l.Op} | {l.Kernel} | {l.Ms:F3} | {l.Share * 100:F1}% | {l.GMacsPerSecond:F2} | {peak} |").AppendLine();
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    public static string Markdown(SideBySideReport report)
    {
        var sb = new StringBuilder();
        MachineInfo m = report.Machine;
        sb.AppendLine(Inv, $"# Side by side with ONNX Runtime: {report.StartedUtc:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine(Inv, $"- machine: {m.Cpu}, {m.LogicalCores} logical cores; flags: {m.Flags}");
        sb.AppendLine(Inv, $"- load average (1, 5, 15 min): {m.LoadAverage} at the start, {report.LoadAtEnd} at the end");
        sb.AppendLine(Inv, $"- commit: {m.Commit}");
        sb.AppendLine(Inv, $"- command: `{report.Command}`");
        sb.AppendLine(Inv, $"- runtimes: EdgeCnn on {m.Runtime} ({m.Os}); ONNX Runtime {report.OrtVersion} (npm onnxruntime-node, CPU execution provider, "
            + $"graph optimization ORT_ENABLE_ALL, {report.Options.Threads} intra-op thread(s), 1 inter-op thread, ORT_SEQUENTIAL)");
        sb.AppendLine(Inv, $"- method: {report.Options.Warmup} warm-up runs each (continued to at least {PairRunner.MinWarmup.TotalSeconds:F0} s per model), then {report.Options.Iterations} timed runs each, interleaved "
            + $"(alternating which runs first) in one process on the same input (models quantized by --int8: their first calibration sample; fp32 models and --pair: random, uniform [0, 1), seed 7); p50/p90 of the timed runs");
        sb.AppendLine(Inv, $"- measured peak of one core: fp32 {report.Fp32Peak.GMacsPerSecond:F2} GMAC/s ({report.Fp32Peak.Method}); "
            + $"int8 {report.Int8Peak.GMacsPerSecond:F2} GMAC/s ({report.Int8Peak.Method})");
        sb.AppendLine();
        sb.Append(Table(report.Results));
        sb.AppendLine();
        sb.AppendLine("EdgeCnn / ORT is EdgeCnn's median over ONNX Runtime's: below 1.0 EdgeCnn is faster. \"min / min\" is the ratio of "
            + "the fastest runs, the figure least disturbed by other processes on a loaded machine. \"outputs\" compares every output "
            + $"value (fp32: within {PairRunner.Fp32RelativeTolerance:G} of the largest reference magnitude, at least that much absolute; "
            + $"int8 against a QDQ model: {PairRunner.Int8RelativeTolerance:G} of it: {PairRunner.Int8ToleranceWhy}).");
        sb.AppendLine();
        string calibration = Calibration(report.Results);
        if (calibration.Length > 0)
        {
            sb.Append(calibration).AppendLine();
        }

        sb.Append(Layers(report.Results));
        return sb.ToString();
    }

    public static string Json(SideBySideReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("started_utc", report.StartedUtc.ToString("O", Inv));
            w.WriteString("command", report.Command);
            w.WriteString("cpu", report.Machine.Cpu);
            w.WriteString("flags", report.Machine.Flags);
            w.WriteString("commit", report.Machine.Commit);
            w.WriteString("load_start", report.Machine.LoadAverage);
            w.WriteString("load_end", report.LoadAtEnd);
            w.WriteString("onnxruntime", report.OrtVersion);
            w.WriteNumber("threads", report.Options.Threads);
            w.WriteNumber("iterations", report.Options.Iterations);
            w.WriteNumber("fp32_peak_gmacs", report.Fp32Peak.GMacsPerSecond);
            w.WriteNumber("int8_peak_gmacs", report.Int8Peak.GMacsPerSecond);
            w.WriteStartArray("models");
            foreach (PairResult r in report.Results)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteString("precision", r.Precision);
                w.WriteString("onnx", r.OnnxPath);
                if (r.Calibration is not null)
                {
                    w.WriteString("calibration", r.Calibration);
                }

                if (r.Error is not null)
                {
                    w.WriteString("error", r.Error);
                }
                else
                {
                    w.WriteNumber("macs", r.Macs);
                    w.WriteNumber("ort_median_ms", r.Ort!.MedianMs);
                    w.WriteNumber("ort_p90_ms", r.Ort.P90Ms);
                    w.WriteNumber("edgecnn_median_ms", r.EdgeCnn!.MedianMs);
                    w.WriteNumber("edgecnn_p90_ms", r.EdgeCnn.P90Ms);
                    w.WriteNumber("ort_min_ms", r.Ort.MinMs);
                    w.WriteNumber("edgecnn_min_ms", r.EdgeCnn.MinMs);
                    w.WriteNumber("ratio", r.Ratio!.Value);
                    w.WriteNumber("max_abs_diff", r.Outputs!.MaxAbsDiff);
                    w.WriteBoolean("outputs_agree", r.Outputs.Agree);
                    w.WriteStartArray("slowest_layers");
                    foreach (LayerCost l in r.SlowestLayers)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", l.Name);
                        w.WriteString("op", l.Op);
                        w.WriteString("kernel", l.Kernel);
                        w.WriteNumber("ms", l.Ms);
                        w.WriteNumber("gmacs", l.GMacsPerSecond);
                        if (l.PeakFraction is { } p)
                        {
                            w.WriteNumber("peak_fraction", p);
                        }
                        else
                        {
                            w.WriteNull("peak_fraction");
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
