namespace EdgeCnn.Runtime.Graph;

/// <summary>Element types a tensor can hold. Values are the on-disk codes.</summary>
public enum DataType : byte
{
    Float32 = 1,
    Int8 = 2,
    Int32 = 3,
}

public static class DataTypeExtensions
{
    public static int SizeInBytes(this DataType type) => type switch
    {
        DataType.Float32 => 4,
        DataType.Int8 => 1,
        DataType.Int32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown data type"),
    };

    public static bool IsDefined(byte code) => code is (byte)DataType.Float32 or (byte)DataType.Int8 or (byte)DataType.Int32;

    public static string Name(this DataType type) => type switch
    {
        DataType.Float32 => "fp32",
        DataType.Int8 => "int8",
        DataType.Int32 => "int32",
        _ => "?",
    };
}
