using EdgeCnn.Vision.Preprocessing;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.Converter.Calibration;

/// <summary>
/// Calibration samples from an IDX image file (MNIST, Fashion-MNIST; gzipped or not): at most <c>limit</c> images taken
/// evenly across the file (datasets sorted by class still give every class), each preprocessed as grey pixels.
/// </summary>
public sealed class IdxCalibrationSource : ICalibrationSource
{
    private readonly byte[][] _frames;
    private readonly PreprocessSpec _preprocess;

    public IdxCalibrationSource(string path, PreprocessSpec preprocess, int limit)
    {
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
        byte[] frame = _frames[index];
        if (input.Length != frame.Length)
        {
            throw new CalibrationException($"the model input holds {input.Length} values; the IDX images have {frame.Length} pixels ({Width}x{Height} grey)");
        }

        _preprocess.ApplyGrey(frame, input);
    }
}
