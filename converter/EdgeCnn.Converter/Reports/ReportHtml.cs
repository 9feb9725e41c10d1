using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeCnn.Converter.Reports;

/// <summary>
/// The quantization report as one self-contained HTML file: inline CSS and SVG charts, no scripts, no external assets.
/// Layout is fixed (a 100 px header, then 300 px chart panels in a known order) so a screenshot can be checked by region:
/// SQNR per layer, cosine per layer, activation ranges, file size and top-1. Colours: int8 <see cref="Int8Colour"/>,
/// fp32 <see cref="Fp32Colour"/>, observed ranges <see cref="ObservedColour"/>.
/// </summary>
public static class ReportHtml
{
    public const string Int8Colour = "#1f77b4";
    public const string Fp32Colour = "#ff7f0e";
    public const string ObservedColour = "#2ca02c";
    public const string ThresholdColour = "#d62728";
    public const int HeaderHeight = 100;
    public const int PanelHeight = 300;
    public const int ChartWidth = 960;

    public static string Write(QuantizationReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var s = new StringBuilder();
        s.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(r.Model)).Append(" int8 report</title>\n<style>")
            .Append("body{margin:0;font:13px sans-serif;color:#222;background:#fff}")
            .Append(".hdr{height:").Append(HeaderHeight).Append("px;overflow:hidden;padding:0 16px;box-sizing:border-box}")
            .Append(".hdr h1{font-size:18px;margin:10px 0 4px}.panel{height:").Append(PanelHeight).Append("px;overflow:hidden;padding:0 16px}")
            .Append("h2{font-size:14px;margin:4px 0;height:20px}table{border-collapse:collapse;margin:16px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}")
            .Append("td:first-child,th:first-child{text-align:left}.fp32{background:#fff3e6}</style></head><body>\n");
        s.Append("<div class=\"hdr\"><h1>").Append(E(r.Model)).Append(": int8 quantization report</h1><div>")
            .Append(F($"calibration: {r.Method} on {r.Calibration}; error measured on {r.MeasureSamples} samples. "))
            .Append(F($"{r.Layers.Count(l => l.IsInt8)} layers int8, {r.Layers.Count(l => !l.IsInt8)} fp32"))
            .Append(r.AutoKeepFloat ? F($" (--keep-float auto, threshold {r.ThresholdDb:F1} dB)") : "").Append(".</div><div>");
        foreach (OutputReport o in r.Outputs)
        {
            s.Append(F($"output {E(o.Name)}: SQNR {o.SqnrDb:F1} dB, cosine {o.Cosine:F5}. "));
        }

        if (r.Top1 is { } t)
        {
            s.Append(F($"top-1 on {t.Images} images: fp32 {100 * t.Fp32:F2}%, int8 {100 * t.Int8:F2}%. "));
        }

        s.Append(F($"size: ONNX {r.OnnxBytes:N0} bytes, fp32 .ecnn {r.Fp32EcnnBytes:N0}, int8 .ecnn {r.EcnnBytes:N0} ({(double)r.EcnnBytes / r.OnnxBytes:F3}x ONNX).")).Append("</div></div>\n");

        Panel(s, "SQNR per layer, fp32 vs int8 (dB; bars: the quantized model, dots: the layer alone in int8)", SqnrChart(r));
        Panel(s, "Cosine similarity per layer, fp32 vs int8", CosineChart(r));
        Panel(s, "Activation ranges: observed min..max (green) and the int8 range chosen (blue; orange: layer kept fp32)", RangeChart(r));
        Panel(s, "File size (bytes) and top-1", SizeChart(r));
        LayerTable(s, r);
        s.Append("</body></html>\n");
        return s.ToString();
    }

    private static void Panel(StringBuilder s, string title, string svg) =>
        s.Append("<div class=\"panel\"><h2>").Append(E(title)).Append("</h2>").Append(svg).Append("</div>\n");

    private static string SqnrChart(QuantizationReport r)
    {
        double max = Math.Max(10, r.Layers.Select(l => Math.Min(l.SqnrDb, 80)).Concat(r.Layers.Select(l => Math.Min(l.IsolatedSqnrDb ?? 0, 80))).Max());
        return Bars(r, l => Math.Clamp(l.SqnrDb, 0, 80), l => l.IsolatedSqnrDb is { } v ? Math.Clamp(v, 0, 80) : null, max,
            r.AutoKeepFloat ? r.ThresholdDb : null, "dB");
    }

    private static string CosineChart(QuantizationReport r) => Bars(r, l => Math.Max(0, l.Cosine), _ => null, 1, null, "");

    /// <summary>Vertical bars, one per layer, coloured by precision, with an optional dot per layer and threshold line.</summary>
    private static string Bars(QuantizationReport r, Func<LayerReport, double> value, Func<LayerReport, double?> dot, double max, double? threshold, string unit)
    {
        const int H = 270, Top = 10, Bottom = 30, Left = 50;
        int n = Math.Max(1, r.Layers.Count);
        double slot = (ChartWidth - Left - 10) / (double)n, plot = H - Top - Bottom;
        var s = new StringBuilder();
        s.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{H}\" viewBox=\"0 0 {ChartWidth} {H}\">"));
        s.Append(F($"<line x1=\"{Left}\" y1=\"{Top + plot}\" x2=\"{ChartWidth - 10}\" y2=\"{Top + plot}\" stroke=\"#888\"/>"));
        for (int k = 0; k <= 4; k++)
        {
            double v = max * k / 4, y = Top + plot - (plot * k / 4);
            s.Append(F($"<text x=\"{Left - 4}\" y=\"{y + 4:F1}\" font-size=\"10\" text-anchor=\"end\">{v:G3}{unit}</text>"));
        }

        for (int i = 0; i < r.Layers.Count; i++)
        {
            LayerReport l = r.Layers[i];
            double h = plot * Math.Clamp(value(l) / max, 0, 1), x = Left + (i * slot) + (slot * 0.1), w = Math.Max(1, slot * 0.8);
            string colour = l.IsInt8 ? Int8Colour : Fp32Colour;
            s.Append(F($"<rect x=\"{x:F1}\" y=\"{Top + plot - h:F1}\" width=\"{w:F1}\" height=\"{Math.Max(h, 1):F1}\" fill=\"{colour}\"><title>{E(l.Name)} ({l.Op}, {l.Precision}): {value(l):G4}{unit}</title></rect>"));
            if (dot(l) is { } d)
            {
                s.Append(F($"<circle cx=\"{x + (w / 2):F1}\" cy=\"{Top + plot - (plot * Math.Clamp(d / max, 0, 1)):F1}\" r=\"3\" fill=\"#000\"/>"));
            }

            if (slot >= 14)
            {
                s.Append(F($"<text x=\"{x + (w / 2):F1}\" y=\"{H - 4}\" font-size=\"9\" text-anchor=\"middle\">{i}</text>"));
            }
        }

        if (threshold is { } t)
        {
            double y = Top + plot - (plot * Math.Clamp(t / max, 0, 1));
            s.Append(F($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{ChartWidth - 10}\" y2=\"{y:F1}\" stroke=\"{ThresholdColour}\" stroke-dasharray=\"4 3\"/>"));
        }

        return s.Append("</svg>").ToString();
    }

    /// <summary>Per layer a horizontal span: observed min..max and the chosen range, on a symmetric log-free linear axis.</summary>
    private static string RangeChart(QuantizationReport r)
    {
        const int H = 270, Left = 50;
        double extent = Math.Max(1e-6, r.Layers.Select(l => Math.Max(Math.Abs(l.ObservedMin), Math.Abs(l.ObservedMax))).DefaultIfEmpty(1).Max());
        int n = Math.Max(1, r.Layers.Count);
        double row = (H - 20) / (double)n, mid = Left + ((ChartWidth - Left - 10) / 2.0), half = (ChartWidth - Left - 10) / 2.0;
        double X(double v) => mid + (half * Math.Clamp(v / extent, -1, 1));
        var s = new StringBuilder();
        s.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{H}\" viewBox=\"0 0 {ChartWidth} {H}\">"));
        s.Append(F($"<line x1=\"{mid:F1}\" y1=\"0\" x2=\"{mid:F1}\" y2=\"{H - 16}\" stroke=\"#888\"/>"));
        s.Append(F($"<text x=\"{Left}\" y=\"{H - 2}\" font-size=\"10\">{-extent:G3}</text><text x=\"{ChartWidth - 10}\" y=\"{H - 2}\" font-size=\"10\" text-anchor=\"end\">{extent:G3}</text>"));
        for (int i = 0; i < r.Layers.Count; i++)
        {
            LayerReport l = r.Layers[i];
            double y = (i * row) + 2, bar = Math.Max(2, row * 0.4);
            s.Append(F($"<rect x=\"{X(l.ObservedMin):F1}\" y=\"{y:F1}\" width=\"{Math.Max(2, X(l.ObservedMax) - X(l.ObservedMin)):F1}\" height=\"{bar:F1}\" fill=\"{ObservedColour}\"><title>{E(l.Name)} observed [{l.ObservedMin:G4}, {l.ObservedMax:G4}]</title></rect>"));
            string colour = l.IsInt8 ? Int8Colour : Fp32Colour;
            s.Append(F($"<rect x=\"{X(l.RangeLow):F1}\" y=\"{y + bar:F1}\" width=\"{Math.Max(2, X(l.RangeHigh) - X(l.RangeLow)):F1}\" height=\"{bar:F1}\" fill=\"{colour}\"><title>{E(l.Name)} range [{l.RangeLow:G4}, {l.RangeHigh:G4}] scale {l.Scale:G4} zero point {l.ZeroPoint}</title></rect>"));
        }

        return s.Append("</svg>").ToString();
    }

    private static string SizeChart(QuantizationReport r)
    {
        const int H = 270, Left = 140, BarH = 36;
        var rows = new List<(string Label, double Value, double Max, string Colour, string Text)>
        {
            ("ONNX", r.OnnxBytes, r.OnnxBytes, Fp32Colour, F($"{r.OnnxBytes:N0} bytes")),
            (".ecnn fp32", r.Fp32EcnnBytes, r.OnnxBytes, Fp32Colour, F($"{r.Fp32EcnnBytes:N0} bytes")),
            (".ecnn int8", r.EcnnBytes, r.OnnxBytes, Int8Colour, F($"{r.EcnnBytes:N0} bytes ({(double)r.EcnnBytes / r.OnnxBytes:F3}x)")),
        };
        if (r.Top1 is { } t)
        {
            rows.Add(("top-1 fp32", t.Fp32, 1, Fp32Colour, F($"{100 * t.Fp32:F2}%")));
            rows.Add(("top-1 int8", t.Int8, 1, Int8Colour, F($"{100 * t.Int8:F2}%")));
        }

        var s = new StringBuilder();
        s.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{H}\" viewBox=\"0 0 {ChartWidth} {H}\">"));
        double width = ChartWidth - Left - 200;
        for (int i = 0; i < rows.Count; i++)
        {
            (string label, double value, double max, string colour, string text) = rows[i];
            double y = 6 + (i * (BarH + 14)), w = Math.Max(2, width * Math.Clamp(max > 0 ? value / max : 0, 0, 1));
            s.Append(F($"<text x=\"{Left - 8}\" y=\"{y + 22:F1}\" font-size=\"12\" text-anchor=\"end\">{E(label)}</text>"));
            s.Append(F($"<rect x=\"{Left}\" y=\"{y:F1}\" width=\"{w:F1}\" height=\"{BarH}\" fill=\"{colour}\"/>"));
            s.Append(F($"<text x=\"{Left + w + 6:F1}\" y=\"{y + 22:F1}\" font-size=\"12\">{E(text)}</text>"));
        }

        return s.Append("</svg>").ToString();
    }

    private static void LayerTable(StringBuilder s, QuantizationReport r)
    {
        s.Append("<table><tr><th>#</th><th>layer</th><th>op</th><th>precision</th><th>SQNR dB</th><th>alone dB</th><th>cosine</th>")
            .Append("<th>observed min</th><th>observed max</th><th>range low</th><th>range high</th><th>scale</th><th>zero point</th><th>why fp32</th></tr>\n");
        for (int i = 0; i < r.Layers.Count; i++)
        {
            LayerReport l = r.Layers[i];
            s.Append(!l.IsInt8 ? "<tr class=\"fp32\">" : "<tr>")
                .Append(F($"<td>{i}</td><td style=\"text-align:left\">{E(l.Name)}</td><td>{l.Op}</td><td>{l.Precision}</td><td>{l.SqnrDb:F2}</td>"))
                .Append(l.IsolatedSqnrDb is { } iso ? F($"<td>{iso:F2}</td>") : "<td>-</td>")
                .Append(F($"<td>{l.Cosine:F6}</td><td>{l.ObservedMin:G5}</td><td>{l.ObservedMax:G5}</td><td>{l.RangeLow:G5}</td><td>{l.RangeHigh:G5}</td>"))
                .Append(l.IsInt8 ? F($"<td>{l.Scale:G5}</td><td>{l.ZeroPoint}</td>") : "<td>-</td><td>-</td>")
                .Append("<td style=\"text-align:left\">").Append(E(l.Reason ?? "")).Append("</td></tr>\n");
        }

        s.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
}
