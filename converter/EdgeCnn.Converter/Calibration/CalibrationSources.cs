using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Converter.Calibration;

/// <summary>Opens a calibration source by what the path holds: .npy tensors, an IDX image file, or a folder of images.</summary>
public static class CalibrationSources
{
    /// <param name="sampleSize">Values of the model's one input.</param>
    public static ICalibrationSource Open(string path, PreprocessSpec preprocess, int sampleSize, int limit)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
            || (Directory.Exists(path) && Directory.EnumerateFiles(path, "*.npy").Any()))
        {
            return new NpyCalibrationSource(path, sampleSize, limit);
        }

        if (File.Exists(path))
        {
            return new IdxCalibrationSource(path, preprocess, limit);
        }

        if (Directory.Exists(path))
        {
            throw new CalibrationException($"{path}: a folder of images needs the image decoders; give IDX or .npy");
        }

        throw new CalibrationException($"{path}: no such file or folder");
    }
}
