using EdgeCnn.Vision.Imaging;
using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Converter.Calibration;

/// <summary>
/// Calibration samples from a folder of PNG/PGM/PPM images (subfolders included, in ordinal path order): at most
/// <c>limit</c> files taken evenly, each decoded when needed and preprocessed by the spec stored in the model
/// (<see cref="PreprocessReference.Apply"/>: crop, resize, colour order, normalization, layout), as the device will.
/// </summary>
public sealed class ImageFolderCalibrationSource : ICalibrationSource
{
    private readonly string[] _files;
    private readonly PreprocessSpec _preprocess;
    private readonly int[] _inputShape;

    public ImageFolderCalibrationSource(string folder, PreprocessSpec preprocess, int[] inputShape, int limit)
    {
        ArgumentNullException.ThrowIfNull(preprocess);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        string[] all = ImageFiles(folder);
        if (all.Length == 0)
        {
            throw new CalibrationException($"{folder}: no PNG/PGM/PPM images in the folder or its subfolders");
        }

        try
        {
            _ = preprocess.Resolve(inputShape);
        }
        catch (ArgumentException e)
        {
            throw new CalibrationException($"{folder}: the preprocessing does not fit the model input: {e.Message}", e);
        }

        int take = Math.Min(limit, all.Length);
        _files = Enumerable.Range(0, take).Select(i => all[(int)((long)i * all.Length / take)]).ToArray();
        _preprocess = preprocess;
        _inputShape = inputShape;
        Description = $"{take} of {all.Length} images in {folder}";
    }

    public int Count => _files.Length;

    public string Description { get; }

    /// <summary>Supported image files under the folder, recursively, in ordinal path order.</summary>
    public static string[] ImageFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(ImageDecoder.IsSupportedExtension).Order(StringComparer.Ordinal).ToArray();

    public void Fill(int index, Span<float> input)
    {
        DecodedImage image;
        try
        {
            image = ImageDecoder.DecodeFile(_files[index]);
        }
        catch (ImageFormatException e)
        {
            throw new CalibrationException(e.Message, e);
        }

        PreprocessReference.Apply(image.AsView(), _preprocess, _inputShape, input);
    }
}
