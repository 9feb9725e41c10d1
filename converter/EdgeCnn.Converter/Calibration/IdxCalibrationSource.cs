using EdgeCnn.Vision.Imaging;
using EdgeCnn.Vision.Preprocessing;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.Converter.Calibration;

/// <summary>
/// Calibration samples from an IDX image file (MNIST, Fashion-MNIST; gzipped or not): at most <c>limit</c> images taken
/// evenly across the file (datasets sorted by class still give every class), each preprocessed as a grey image by the
/// model's spec (<see cref="PreprocessReference.Apply"/>, so a model of another size or colour order gets resized frames).
/// </summary>
public sealed class IdxCalibrationSource : ICalibrationSource
{
    private readonly byte[][] _frames;
    private readonly PreprocessSpec _preprocess;
    private readonly int[] _inputShape;

    public IdxCalibrationSource(string path, PreprocessSpec preprocess, int[] inputShape, int limit)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(preprocess);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var source = new IdxFrameSource(path);
        int take = Math.Min(limit, source.Count);
        _frames = new byte[take][];
        var pixels = new byte[source.Width * source.Height];
        int next = 0;
        for (int i = 0; next < take && source.TryRead(pixels, out _); i++)
        {
            if ((long)next * source.Count / take == i)
            {
                _frames[next++] = (byte[])pixels.Clone();
            }
        }

        _preprocess = preprocess;
        _inputShape = inputShape;
        Width = source.Width;
        Height = source.Height;
        Description = $"{take} of {source.Count} images of {path} ({Width}x{Height} grey)";
    }

    public int Width { get; }

    public int Height { get; }

    public int Count => _frames.Length;

    public string Description { get; }

    public void Fill(int index, Span<float> input)
    {
        try
        {
            PreprocessReference.Apply(new ImageView(Width, Height, 1, Width, _frames[index]), _preprocess, _inputShape, input);
        }
        catch (ArgumentException e)
        {
            throw new CalibrationException($"IDX images of {Width}x{Height} grey into the model input: {e.Message}", e);
        }
    }
}
