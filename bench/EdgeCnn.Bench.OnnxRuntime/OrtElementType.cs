namespace EdgeCnn.Bench.OnnxRuntime;

/// <summary>
/// The tensor element types this binding moves in and out of ONNX Runtime, with their <c>ONNXTensorElementDataType</c>
/// values (which are ONNX's TensorProto.DataType numbers).
/// </summary>
public enum OrtElementType
{
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
}

/// <summary>Sizes and names of <see cref="OrtElementType"/> values.</summary>
public static class OrtElementTypes
{
    public static bool IsSupported(int onnxType) => onnxType is 1 or 2 or 3 or 6 or 7;

    public static int Size(OrtElementType type) => type switch
    {
        OrtElementType.Float32 or OrtElementType.Int32 => 4,
        OrtElementType.UInt8 or OrtElementType.Int8 => 1,
        OrtElementType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an element type this binding supports"),
    };

    public static string Name(OrtElementType type) => type switch
    {
        OrtElementType.Float32 => "float32",
        OrtElementType.UInt8 => "uint8",
        OrtElementType.Int8 => "int8",
        OrtElementType.Int32 => "int32",
        OrtElementType.Int64 => "int64",
        _ => $"element type {(int)type}",
    };

    /// <summary>The element type of a managed array of <paramref name="t"/>.</summary>
    public static OrtElementType Of(Type t) =>
        t == typeof(float) ? OrtElementType.Float32
        : t == typeof(byte) ? OrtElementType.UInt8
        : t == typeof(sbyte) ? OrtElementType.Int8
        : t == typeof(int) ? OrtElementType.Int32
        : t == typeof(long) ? OrtElementType.Int64
        : throw new ArgumentException($"{t} is not a tensor element type (float, byte, sbyte, int, long)", nameof(t));
}
