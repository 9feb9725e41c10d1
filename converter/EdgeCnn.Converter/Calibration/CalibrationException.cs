namespace EdgeCnn.Converter.Calibration;

/// <summary>Calibration or evaluation data that cannot be used: names the file and what is wrong with it.</summary>
public sealed class CalibrationException : Exception
{
    public CalibrationException(string message)
        : base(message)
    {
    }

    public CalibrationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CalibrationException()
    {
    }
}
