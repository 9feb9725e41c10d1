using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Qdq;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Runtime.Graph;
using Google.Protobuf;

namespace EdgeCnn.Bench.SideBySide;

/// <summary>
/// One model quantized in-process: the int8 .ecnn, the QDQ ONNX file of the same quantization (what ONNX Runtime runs),
/// what it was calibrated on, and the input both runtimes are timed on (the first calibration sample: int8 models are
/// measured on the data they were quantized for, not on values their ranges clip).
/// </summary>
internal sealed record Int8Pair(byte[] Ecnn, string QdqPath, string Calibration, float[] Input, IReadOnlyList<string> Fp32Layers);

/// <summary>
/// The converter's own int8 path, as <c>edgecnn-convert convert --int8 --calibration SRC --emit-qdq OUT.qdq.onnx</c> runs it
/// (Int8Conversion.Convert, then QdqExporter.Export with its default uint8 encoding), with the converter's defaults: minmax
/// ranges, no layer kept fp32 by hand.
/// </summary>
internal static class InProcessInt8
{
    /// <summary>Samples each layer's int8 error is measured on: the error is not reported here, so few are enough.</summary>
    public const int MeasureSamples = 4;

    /// <param name="fp32">The fp32 conversion of <paramref name="onnx"/>.</param>
    /// <param name="folder">Where the .int8.ecnn and .qdq.onnx files are written.</param>
    public static Int8Pair Convert(string name, ConversionResult fp32, CalibrationChoice choice, string folder)
    {
        int[] inputShape;
        using (var probe = InferenceSession.Load(fp32.Ecnn))
        {
            if (probe.Inputs.Count != 1)
            {
                throw new CalibrationException($"the model has {probe.Inputs.Count} inputs; int8 calibration feeds models with one input");
            }

            inputShape = [.. probe.Inputs[0].Shape];
        }

        ICalibrationSource source = Int8Calibration.Open(choice, inputShape);
        var options = new Int8Options { MeasureSamples = MeasureSamples };
        Int8Result int8 = Int8Conversion.Convert(fp32, source, options);
        string ecnnPath = Path.Combine(folder, name + ".int8.ecnn");
        string qdqPath = Path.Combine(folder, name + ".qdq.onnx");
        File.WriteAllBytes(ecnnPath, int8.Ecnn);
        File.WriteAllBytes(qdqPath, QdqExporter.Export(int8.Model.Definition).ToByteArray());

        float[] input = new float[inputShape.Aggregate(1, (a, d) => checked(a * d))];
        source.Fill(0, input);
        string[] fp32Layers = int8.Model.Layers.Where(l => l.Precision == LayerPrecision.Fp32).Select(l => $"{l.Name} ({l.Op}: {l.Reason})").ToArray();
        return new Int8Pair(int8.Ecnn, qdqPath, $"{choice.Why}: {source.Description}", input, fp32Layers);
    }
}
