using System.Globalization;
using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Quantization;

/// <summary>How to quantize a converted model.</summary>
public sealed class Int8Options
{
    public CalibrationMethod Method { get; init; } = Int8Conversion.DefaultMethod;

    public double Percentile { get; init; } = 99.99;

    /// <summary>Sessions run in parallel during calibration and measurement.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Samples (of the calibration source) on which each layer's error is measured.</summary>
    public int MeasureSamples { get; init; } = 100;

    /// <summary>Layers kept fp32 by name (the fp32 model's node names, as the report lists them).</summary>
    public IReadOnlyList<string> KeepFloat { get; init; } = [];

    /// <summary>Keep fp32 every layer whose own int8 SQNR (isolated) is below <see cref="AutoThresholdDb"/>.</summary>
    public bool AutoKeepFloat { get; init; }

    public double AutoThresholdDb { get; init; } = Int8Conversion.DefaultAutoThresholdDb;
}

/// <summary>The int8 model and everything measured on the way, for the console, the report and tests.</summary>
public sealed record Int8Result(byte[] Ecnn, QuantizedModel Model, LayerErrors Errors, CalibrationMethod Method, int CalibrationSamples,
    string CalibrationDescription, double ThresholdDb, bool Auto);

/// <summary>
/// fp32 model + calibration samples -> int8 model: collects activation statistics with the runtime's fp32 kernels,
/// quantizes, measures every layer against fp32, keeps the layers int8 hurts most in fp32 when asked (by name or
/// automatically by SQNR), writes the file and verifies it with the runtime's reader.
/// </summary>
public static class Int8Conversion
{
    /// <summary>Chosen by measurement on the sample models (README "int8"): the best or tied-best top-1 and output SQNR.</summary>
    public const CalibrationMethod DefaultMethod = CalibrationMethod.MinMax;

    /// <summary>A layer whose own int8 error is below this SQNR stays fp32 under --keep-float auto.</summary>
    public const double DefaultAutoThresholdDb = 25;

    /// <param name="progress">(phase, done, total) as calibration and measurement proceed.</param>
    public static Int8Result Convert(ConversionResult fp32, ICalibrationSource source, Int8Options options, Action<string, int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        return Convert(fp32.Definition ?? throw new ArgumentException("the conversion result holds no model definition", nameof(fp32)),
            source, options, progress);
    }

    /// <param name="definition">An fp32 model (converted from ONNX, or built with ModelBuilder).</param>
    public static Int8Result Convert(ModelDefinition definition, ICalibrationSource source, Int8Options options, Action<string, int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        TensorStatistics?[] stats = Calibrator.Collect(ModelWriter.Write(definition), source, CalibrationMethods.NeedsHistogram(options.Method), options.Threads,
            (d, t) => progress?.Invoke("calibrating", d, t));

        var keep = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in options.KeepFloat)
        {
            if (!definition.Nodes.Any(n => string.Equals(n.Name, name, StringComparison.Ordinal)))
            {
                throw new CalibrationException($"--keep-float: no layer is named '{name}'; the layers are: " +
                    string.Join(", ", definition.Nodes.Select(n => n.Name)));
            }

            keep[name] = "kept fp32 by --keep-float";
        }

        QuantizedModel q = Quantize(definition, stats, options, keep);
        LayerErrors errors = LayerErrorMeter.Measure(definition, q, source, options.MeasureSamples, options.Threads,
            (d, t) => progress?.Invoke("measuring", d, t));
        if (options.AutoKeepFloat)
        {
            int added = 0;
            for (int l = 0; l < q.Layers.Count; l++)
            {
                if (errors.Isolated[l] is { } e && e.SqnrDb < options.AutoThresholdDb && !keep.ContainsKey(q.Layers[l].Name))
                {
                    keep[q.Layers[l].Name] = string.Create(CultureInfo.InvariantCulture,
                        $"auto: alone in int8 it measures {e.SqnrDb:F1} dB SQNR, below the {options.AutoThresholdDb:F1} dB threshold");
                    added++;
                }
            }

            if (added > 0)
            {
                ErrorAccumulator?[] isolated = errors.Isolated;
                q = Quantize(definition, stats, options, keep);
                errors = LayerErrorMeter.Measure(definition, q, source, options.MeasureSamples, options.Threads,
                    (d, t) => progress?.Invoke("measuring again", d, t));
                for (int l = 0; l < isolated.Length; l++)
                {
                    errors.Isolated[l] ??= isolated[l]; // the int8 figure that sent a layer back to fp32 stays in the report
                }
            }
        }

        q.Definition.Metadata.Add(new("quantization", string.Create(CultureInfo.InvariantCulture,
            $"{{\"scheme\":\"int8 per-channel symmetric weights, per-tensor asymmetric activations\",\"method\":\"{CalibrationMethods.Name(options.Method)}\",\"samples\":{source.Count},\"fp32_layers\":{q.Layers.Count(l => l.Precision == LayerPrecision.Fp32)}}}")));
        byte[] ecnn = ModelWriter.Write(q.Definition);
        ModelReader.Verify(ecnn);
        return new Int8Result(ecnn, q, errors, options.Method, source.Count, source.Description, options.AutoThresholdDb, options.AutoKeepFloat);
    }

    private static QuantizedModel Quantize(ModelDefinition definition, TensorStatistics?[] stats, Int8Options options, Dictionary<string, string> keep) =>
        Int8Quantizer.Quantize(definition, stats, new QuantizerOptions
        {
            Method = options.Method,
            Percentile = options.Percentile,
            KeepFloat = new Dictionary<string, string>(keep, StringComparer.Ordinal),
        });
}
