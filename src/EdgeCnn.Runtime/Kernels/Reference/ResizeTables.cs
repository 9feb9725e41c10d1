namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// ONNX Resize's coordinate transform and index rules, evaluated once per output index of each axis (at Plan) into the
/// tables ResizeKernels reads. Coordinates are computed in double, as the ONNX reference does in numpy.
/// </summary>
public static class ResizeTables
{
    public const int HalfPixel = 0, Asymmetric = 1, AlignCorners = 2, PytorchHalfPixel = 3;

    public const int RoundPreferFloor = 0, RoundPreferCeil = 1, Floor = 2, Ceil = 3;

    /// <summary>The input coordinate of output index x on an axis resized from inSize to outSize with the given scale.</summary>
    public static double SourceCoordinate(int x, int inSize, int outSize, double scale, int coordinateMode) => coordinateMode switch
    {
        HalfPixel => ((x + 0.5) / scale) - 0.5,
        PytorchHalfPixel => outSize > 1 ? ((x + 0.5) / scale) - 0.5 : 0.0,
        AlignCorners => outSize == 1 ? 0.0 : x * (double)(inSize - 1) / (outSize - 1),
        _ => x / scale,
    };

    /// <summary>The nearest input index of a source coordinate, clamped into the axis.</summary>
    public static int NearestIndex(double c, int inSize, int nearestMode)
    {
        // The ONNX reference's forms: ceil(c - 1/2) rounds halves down, floor(c + 1/2) rounds them up.
        double i = nearestMode switch
        {
            RoundPreferFloor => Math.Ceiling(c - 0.5),
            RoundPreferCeil => Math.Floor(c + 0.5),
            Floor => Math.Floor(c),
            _ => Math.Ceiling(c),
        };
        return (int)Math.Clamp(i, 0, inSize - 1);
    }

    /// <summary>Nearest table of one axis: the input index for each output index.</summary>
    public static void Nearest(Span<int> source, int inSize, double scale, int coordinateMode, int nearestMode)
    {
        for (int x = 0; x < source.Length; x++)
        {
            source[x] = NearestIndex(SourceCoordinate(x, inSize, source.Length, scale, coordinateMode), inSize, nearestMode);
        }
    }

    /// <summary>
    /// Linear table of one axis: the two neighbours and the weight of the upper one. The coordinate is clamped into
    /// [0, inSize - 1] first, which gives what ONNX's edge-padded neighbours give outside the input.
    /// </summary>
    public static void Linear(Span<int> low, Span<int> high, Span<float> weight, int inSize, double scale, int coordinateMode)
    {
        for (int x = 0; x < low.Length; x++)
        {
            double c = Math.Clamp(SourceCoordinate(x, inSize, low.Length, scale, coordinateMode), 0, inSize - 1);
            int lo = (int)Math.Floor(c);
            low[x] = lo;
            high[x] = Math.Min(lo + 1, inSize - 1);
            weight[x] = (float)(c - lo);
        }
    }
}
