namespace EdgeCnn.Converter.Calibration;

/// <summary>Calibration samples already in memory as model input values (tests, and callers with their own pipeline).</summary>
public sealed class TensorCalibrationSource : ICalibrationSource
{
    private readonly IReadOnlyList<float[]> _samples;

    public TensorCalibrationSource(IReadOnlyList<float[]> samples, string description = "in-memory tensors")
    {
        ArgumentNullException.ThrowIfNull(samples);
        _samples = samples;
        Description = $"{samples.Count} {description}";
    }

    public int Count => _samples.Count;

    public string Description { get; }

    public void Fill(int index, Span<float> input)
    {
        float[] s = _samples[index];
        if (s.Length != input.Length)
        {
            throw new CalibrationException($"sample {index} holds {s.Length} values; the model input holds {input.Length}");
        }

        s.CopyTo(input);
    }
}
