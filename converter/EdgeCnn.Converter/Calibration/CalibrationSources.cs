using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Converter.Calibration;

/// <summary>Opens a calibration source by what the path holds: .npy tensors, an IDX image file, or a folder of images.</summary>
public static class CalibrationSources
{
    /// <param name="inputShape">The model's one input, in its own (ONNX) order.</param>
    public static ICalibrationSource Open(string path, PreprocessSpec preprocess, int[] inputShape, int limit)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(inputShape);
        int sampleSize = inputShape.Aggregate(1, (a, d) => checked(a * d));
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
            || (Directory.Exists(path) && Directory.EnumerateFiles(path, "*.npy").Any()))
        {
            return new NpyCalibrationSource(path, sampleSize, limit);
        }

        if (File.Exists(path))
        {
            return new IdxCalibrationSource(path, preprocess, inputShape, limit);
        }

        if (Directory.Exists(path))
        {
            return new ImageFolderCalibrationSource(path, preprocess, inputShape, limit);
        }

        throw new CalibrationException($"{path}: no such file or folder");
    }
}
