using EdgeCnn.Converter.Onnx;

namespace EdgeCnn.Converter.Conversion;

/// <summary>
/// A tensor whose value is known at conversion time (an initializer, a Constant node, or the folded result of ops on
/// such tensors). Floating types are held as float, integer and bool types as long: the converter folds shape
/// arithmetic in long so INT64_MAX-style sentinels (Slice ends) stay exact.
/// </summary>
public sealed class ConstTensor
{
    private ConstTensor(OnnxDataType type, long[] shape, float[]? floats, long[]? longs)
    {
        Type = type;
        Shape = shape;
        Floats = floats;
        Longs = longs;
    }

    public OnnxDataType Type { get; }

    public long[] Shape { get; }

    public float[]? Floats { get; }

    public long[]? Longs { get; }

    public bool IsFloat => Floats is not null;

    public int Count => Floats?.Length ?? Longs!.Length;

    public static ConstTensor FromFloats(float[] values, long[] shape) => new(OnnxDataType.Float, shape, values, null);

    public static ConstTensor FromLongs(long[] values, long[] shape, OnnxDataType type = OnnxDataType.Int64) => new(type, shape, null, values);

    public static long ElementCount(long[] shape)
    {
        long n = 1;
        foreach (long d in shape)
        {
            n = checked(n * d);
        }

        return n;
    }

    public float[] AsFloats() => Floats ?? Array.ConvertAll(Longs!, v => (float)v);

    public long[] AsLongs() => Longs ?? Array.ConvertAll(Floats!, v => (long)v);

    public int[] ShapeAsInts() => Array.ConvertAll(Shape, d => checked((int)d));

    /// <summary>
    /// For a float constant made by DequantizeLinear from integers (a pre-quantized model's weights): the quantization it
    /// came from, so the int8 layer uses the model's own scales.
    /// </summary>
    public SourceQuantization? Quantization { get; private init; }

    public ConstTensor WithQuantization(SourceQuantization q) => new(Type, Shape, Floats, Longs) { Quantization = q };
}

/// <summary>The scales and zero points (int8 convention: uint8 ones minus 128) a constant was dequantized with; Axis -1 is per tensor.</summary>
public sealed record SourceQuantization(float[] Scales, int[] ZeroPoints, int Axis);
