namespace EdgeCnn.Converter.Quantization;

/// <summary>How an activation's int8 range is chosen from what calibration saw.</summary>
public enum CalibrationMethod
{
    /// <summary>The exact minimum and maximum: nothing clips, outliers stretch the step.</summary>
    MinMax,

    /// <summary>The range holding all but the given percentile tails (default 99.99%): a few outliers clip.</summary>
    Percentile,

    /// <summary>The range minimizing the KL divergence between the value histogram and its int8 version (TensorRT's method).</summary>
    Entropy,

    /// <summary>The range minimizing the expected squared error: rounding noise inside, clipping error outside.</summary>
    Mse,
}

/// <summary>Parsing and naming of <see cref="CalibrationMethod"/> for the command line and reports.</summary>
public static class CalibrationMethods
{
    public static string Name(CalibrationMethod m) => m switch
    {
        CalibrationMethod.MinMax => "minmax",
        CalibrationMethod.Percentile => "percentile",
        CalibrationMethod.Entropy => "entropy",
        _ => "mse",
    };

    public static bool TryParse(string text, out CalibrationMethod method)
    {
        switch (text.ToLowerInvariant())
        {
            case "minmax" or "min-max" or "min_max":
                method = CalibrationMethod.MinMax;
                return true;
            case "percentile":
                method = CalibrationMethod.Percentile;
                return true;
            case "entropy" or "kl":
                method = CalibrationMethod.Entropy;
                return true;
            case "mse":
                method = CalibrationMethod.Mse;
                return true;
            default:
                method = default;
                return false;
        }
    }

    /// <summary>Whether the method needs a histogram (a second calibration pass).</summary>
    public static bool NeedsHistogram(CalibrationMethod m) => m != CalibrationMethod.MinMax;
}
