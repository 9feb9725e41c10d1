using EdgeCnn.Converter.Quantization;

namespace EdgeCnn.Converter.Reports;

/// <summary>One layer of the report: precision and why, ranges and scales, error against fp32.</summary>
/// <param name="SqnrDb">The quantized model's value of this layer vs fp32 (error accumulated from the input on).</param>
/// <param name="IsolatedSqnrDb">The layer alone in int8 on fp32 inputs (its own error); null when it never ran in int8.</param>
public sealed record LayerReport(string Name, string Op, string Precision, string? Reason, double SqnrDb, double Cosine, double? IsolatedSqnrDb,
    float ObservedMin, float ObservedMax, float RangeLow, float RangeHigh, float Scale, int ZeroPoint)
{
    public bool IsInt8 => string.Equals(Precision, "int8", StringComparison.Ordinal);
}

/// <summary>One graph output of the quantized model vs fp32.</summary>
public sealed record OutputReport(string Name, double SqnrDb, double Cosine);

/// <summary>Everything a conversion to int8 measured: the figures of the console summary, the JSON and the HTML report.</summary>
public sealed record QuantizationReport(
    string Model,
    long OnnxBytes,
    long Fp32EcnnBytes,
    long EcnnBytes,
    string Method,
    string Calibration,
    int CalibrationSamples,
    int MeasureSamples,
    bool AutoKeepFloat,
    double ThresholdDb,
    Top1Report? Top1,
    IReadOnlyList<OutputReport> Outputs,
    IReadOnlyList<LayerReport> Layers)
{
    public static QuantizationReport Create(string model, long onnxBytes, long fp32EcnnBytes, Int8Result r, Top1Report? top1,
        IReadOnlyList<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(outputNames);
        var layers = new List<LayerReport>();
        for (int l = 0; l < r.Model.Layers.Count; l++)
        {
            QuantizedLayer q = r.Model.Layers[l];
            ErrorAccumulator e = r.Errors.Accumulated[l];
            layers.Add(new LayerReport(q.Name, q.Op.ToString(), q.Precision == LayerPrecision.Int8 ? "int8" : "fp32", q.Reason,
                e.SqnrDb, e.Cosine, r.Errors.Isolated[l]?.SqnrDb, q.ObservedMin, q.ObservedMax, q.RangeLow, q.RangeHigh, q.Scale, q.ZeroPoint));
        }

        var outputs = r.Errors.Outputs.Select((e, o) => new OutputReport(o < outputNames.Count ? outputNames[o] : $"output {o}", e.SqnrDb, e.Cosine)).ToList();
        return new QuantizationReport(model, onnxBytes, fp32EcnnBytes, r.Ecnn.LongLength, CalibrationMethods.Name(r.Method), r.CalibrationDescription,
            r.CalibrationSamples, r.Errors.Samples, r.Auto, r.ThresholdDb, top1, outputs, layers);
    }
}

/// <summary>Top-1 of the fp32 and the int8 model over one labelled set.</summary>
public sealed record Top1Report(string Dataset, int Images, int CorrectFp32, int CorrectInt8)
{
    public double Fp32 => Images == 0 ? 0 : (double)CorrectFp32 / Images;

    public double Int8 => Images == 0 ? 0 : (double)CorrectInt8 / Images;
}
