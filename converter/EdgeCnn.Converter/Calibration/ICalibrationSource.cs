namespace EdgeCnn.Converter.Calibration;

/// <summary>
/// Samples to calibrate (and measure) a model on: each sample is the model's one fp32 input, preprocessed exactly as the
/// device will. Samples are addressed by index so sessions on several threads can share one source.
/// </summary>
public interface ICalibrationSource
{
    /// <summary>Samples available.</summary>
    int Count { get; }

    /// <summary>One line for the console and the report: what the samples are and where they came from.</summary>
    string Description { get; }

    /// <summary>Writes sample <paramref name="index"/> into the model input. Thread-safe.</summary>
    void Fill(int index, Span<float> input);
}
