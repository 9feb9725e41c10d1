using System.Text;
using System.Text.Json;

namespace EdgeCnn.Converter.Reports;

/// <summary>
/// The quantization report as JSON, for scripts that check a conversion: <c>top1_fp32</c>, <c>top1_int8</c> (fractions,
/// null without --eval), <c>onnx_bytes</c>, <c>ecnn_bytes</c>, and <c>layers: [{name, op, precision, sqnr_db, cosine, ...}]</c>.
/// </summary>
public static class ReportJson
{
    public static string Write(QuantizationReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", r.Model);
            w.WriteNumber("onnx_bytes", r.OnnxBytes);
            w.WriteNumber("fp32_ecnn_bytes", r.Fp32EcnnBytes);
            w.WriteNumber("ecnn_bytes", r.EcnnBytes);
            w.WriteNumber("size_ratio", (double)r.EcnnBytes / r.OnnxBytes);
            if (r.Top1 is { } t)
            {
                w.WriteNumber("top1_fp32", t.Fp32);
                w.WriteNumber("top1_int8", t.Int8);
                w.WriteNumber("eval_images", t.Images);
                w.WriteString("eval_dataset", t.Dataset);
            }
            else
            {
                w.WriteNull("top1_fp32");
                w.WriteNull("top1_int8");
            }

            w.WriteString("calibration_method", r.Method);
            w.WriteString("calibration", r.Calibration);
            w.WriteNumber("calibration_samples", r.CalibrationSamples);
            w.WriteNumber("measure_samples", r.MeasureSamples);
            w.WriteBoolean("keep_float_auto", r.AutoKeepFloat);
            w.WriteNumber("keep_float_threshold_db", r.ThresholdDb);
            w.WriteStartArray("outputs");
            foreach (OutputReport o in r.Outputs)
            {
                w.WriteStartObject();
                w.WriteString("name", o.Name);
                w.WriteNumber("sqnr_db", Round(o.SqnrDb));
                w.WriteNumber("cosine", o.Cosine);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("layers");
            foreach (LayerReport l in r.Layers)
            {
                w.WriteStartObject();
                w.WriteString("name", l.Name);
                w.WriteString("op", l.Op);
                w.WriteString("precision", l.Precision);
                w.WriteNumber("sqnr_db", Round(l.SqnrDb));
                w.WriteNumber("cosine", l.Cosine);
                if (l.IsolatedSqnrDb is { } iso)
                {
                    w.WriteNumber("isolated_sqnr_db", Round(iso));
                }
                else
                {
                    w.WriteNull("isolated_sqnr_db");
                }

                if (l.Reason is null)
                {
                    w.WriteNull("reason");
                }
                else
                {
                    w.WriteString("reason", l.Reason);
                }

                w.WriteNumber("observed_min", l.ObservedMin);
                w.WriteNumber("observed_max", l.ObservedMax);
                w.WriteNumber("range_low", l.RangeLow);
                w.WriteNumber("range_high", l.RangeHigh);
                if (l.IsInt8)
                {
                    w.WriteNumber("scale", l.Scale);
                    w.WriteNumber("zero_point", l.ZeroPoint);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Round(double db) => Math.Round(db, 3);
}
