using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.App.Commands;

/// <summary>Prints what <see cref="BenchMeasurement"/> measured: a table for people, or one JSON object for tools.</summary>
internal static class BenchReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteText(string model, InferenceSession session, BenchFigures f, TextWriter output)
    {
        output.WriteLine(string.Create(Inv, $"{model}: {session.Model.Nodes.Count} nodes, {f.Macs:N0} MACs per run, arena {session.ArenaBytes:N0} bytes"));
        output.WriteLine(string.Create(Inv, $"{f.Threads} thread(s), {f.Warmup} warm-up runs, {f.Iterations} timed runs"));
        output.WriteLine(string.Create(Inv, $"peak fp32 {f.Fp32Peak.GMacsPerSecond:F2} GMAC/s ({f.Fp32Peak.Method})"));
        output.WriteLine(string.Create(Inv, $"peak int8 {f.Int8Peak.GMacsPerSecond:F2} GMAC/s ({f.Int8Peak.Method})"));
        output.WriteLine();
        int nameWidth = Math.Clamp(f.Layers.Max(l => l.Name.Length), 4, 40);
        output.WriteLine($"{"#",4}  {"name".PadRight(nameWidth)}  {"op",-18} {"kernel",-32} {"ms",9} {"time",6} {"GMAC/s",8} {"peak",6}");
        double layerSum = f.Layers.Sum(l => l.MedianMs);
        foreach (LayerFigures l in f.Layers)
        {
            string name = l.Name.Length > nameWidth ? l.Name[..(nameWidth - 1)] + "~" : l.Name;
            string peak = l.PeakFraction is { } p ? string.Create(Inv, $"{p * 100:F1}%") : "-";
            string share = layerSum > 0 ? string.Create(Inv, $"{l.MedianMs / layerSum * 100:F1}%") : "-";
            output.WriteLine(string.Create(Inv,
                $"{l.Index,4}  {name.PadRight(nameWidth)}  {l.Op,-18} {l.Kernel,-32} {l.MedianMs,9:F4} {share,6} {l.GMacsPerSecond,8:F2} {peak,6}"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(Inv, $"latency: p50 {f.MedianMs:F4} ms, p90 {f.P90Ms:F4} ms, p99 {f.P99Ms:F4} ms, min {f.MinMs:F4} ms"));
        string totalPeak = f.PeakFraction is { } tp ? string.Create(Inv, $"{tp * 100:F1}% of the measured peak") : "no MAC layers";
        output.WriteLine(string.Create(Inv, $"throughput: {f.GMacsPerSecond:F2} GMAC/s at the median ({totalPeak})"));
        output.WriteLine(string.Create(Inv, $"allocated per run: {f.AllocatedBytesPerRun} bytes; gen0 collections during the timed runs: {f.Gen0Collections}"));
        output.WriteLine(f.PeakRssBytes is { } rss ? string.Create(Inv, $"peak RSS: {rss / 1024.0 / 1024.0:F1} MiB") : "peak RSS: unknown (no /proc/self/status)");
    }

    public static void WriteJson(string model, InferenceSession session, BenchFigures f, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteNumber("nodes", session.Model.Nodes.Count);
            w.WriteNumber("threads", f.Threads);
            w.WriteNumber("warmup", f.Warmup);
            w.WriteNumber("iterations", f.Iterations);
            w.WriteNumber("median_ms", f.MedianMs);
            w.WriteNumber("p90_ms", f.P90Ms);
            w.WriteNumber("p99_ms", f.P99Ms);
            w.WriteNumber("min_ms", f.MinMs);
            w.WriteNumber("macs", f.Macs);
            w.WriteNumber("gmacs", f.GMacsPerSecond);
            WriteNullable(w, "peak_fraction", f.PeakFraction);
            w.WriteNumber("allocated_bytes_per_run", f.AllocatedBytesPerRun);
            w.WriteNumber("gen0_collections", f.Gen0Collections);
            WriteNullable(w, "peak_rss_bytes", f.PeakRssBytes); // bytes, exact in a double below 2^53

            w.WriteNumber("arena_bytes", session.ArenaBytes);
            w.WriteStartObject("peak");
            w.WriteNumber("fp32_gmacs", f.Fp32Peak.GMacsPerSecond);
            w.WriteString("fp32_method", f.Fp32Peak.Method);
            w.WriteNumber("int8_gmacs", f.Int8Peak.GMacsPerSecond);
            w.WriteString("int8_method", f.Int8Peak.Method);
            w.WriteEndObject();
            w.WriteStartArray("layers");
            foreach (LayerFigures l in f.Layers)
            {
                w.WriteStartObject();
                w.WriteString("name", l.Name);
                w.WriteString("op", l.Op);
                w.WriteString("kernel", l.Kernel);
                w.WriteString("type", l.Type);
                w.WriteNumber("ms", l.MedianMs);
                w.WriteNumber("macs", l.Macs);
                w.WriteNumber("gmacs", l.GMacsPerSecond);
                WriteNullable(w, "peak_fraction", l.PeakFraction);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
