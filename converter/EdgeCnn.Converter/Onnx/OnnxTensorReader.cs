using System.Buffers.Binary;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Converter.Onnx;

/// <summary>Decodes a TensorProto (raw_data or typed fields) into a ConstTensor, checking sizes against the dims.</summary>
public static class OnnxTensorReader
{
    /// <summary>Initializers above this many elements are refused: the device format caps a tensor at 2^31 bytes.</summary>
    private const long MaxElements = int.MaxValue / 4;

    public static ConstTensor Read(TensorProto t, string what)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.ExternalData.Count > 0 || t.DataLocation == 1)
        {
            throw new OnnxImportException($"{what} stores its data in an external file; EdgeCnn reads self-contained models only " +
                "(re-save with onnx.save_model(model, path, save_as_external_data=False))") { IsUnsupported = true };
        }

        long[] shape = [.. t.Dims];
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new OnnxImportException($"{what} has a negative dimension {d}");
            }
        }

        long count;
        try
        {
            count = ConstTensor.ElementCount(shape);
        }
        catch (OverflowException e)
        {
            throw new OnnxImportException($"{what}: dims [{string.Join(',', shape)}] overflow", e);
        }

        if (count > MaxElements)
        {
            throw new OnnxImportException($"{what} has {count} elements; at most {MaxElements} are supported") { IsUnsupported = true };
        }

        var type = (OnnxDataType)t.DataType;
        int n = (int)count;
        ByteString raw = t.RawData;
        bool hasRaw = t.HasRawData;
        switch (type)
        {
            case OnnxDataType.Float:
                return ConstTensor.FromFloats(hasRaw ? Floats(raw.Span, n, 4, what, (s, i) => BinaryPrimitives.ReadSingleLittleEndian(s[(i * 4)..]))
                    : Typed(t.FloatData, n, what), shape);
            case OnnxDataType.Double:
                return ConstTensor.FromFloats(hasRaw ? Floats(raw.Span, n, 8, what, (s, i) => (float)BinaryPrimitives.ReadDoubleLittleEndian(s[(i * 8)..]))
                    : Typed(t.DoubleData, n, what).Select(v => (float)v).ToArray(), shape);
            case OnnxDataType.Float16:
                return ConstTensor.FromFloats(hasRaw ? Floats(raw.Span, n, 2, what, (s, i) => (float)BinaryPrimitives.ReadHalfLittleEndian(s[(i * 2)..]))
                    : Typed(t.Int32Data, n, what).Select(v => (float)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray(), shape);
            case OnnxDataType.Int64:
                return ConstTensor.FromLongs(hasRaw ? Longs(raw.Span, n, 8, what, (s, i) => BinaryPrimitives.ReadInt64LittleEndian(s[(i * 8)..]))
                    : Typed(t.Int64Data, n, what), shape, type);
            case OnnxDataType.Int32:
                return ConstTensor.FromLongs(hasRaw ? Longs(raw.Span, n, 4, what, (s, i) => BinaryPrimitives.ReadInt32LittleEndian(s[(i * 4)..]))
                    : Typed(t.Int32Data, n, what).Select(v => (long)v).ToArray(), shape, type);
            case OnnxDataType.Int8:
                return ConstTensor.FromLongs(hasRaw ? Longs(raw.Span, n, 1, what, (s, i) => (sbyte)s[i])
                    : Typed(t.Int32Data, n, what).Select(v => (long)(sbyte)v).ToArray(), shape, type);
            case OnnxDataType.UInt8:
            case OnnxDataType.Bool:
                return ConstTensor.FromLongs(hasRaw ? Longs(raw.Span, n, 1, what, (s, i) => s[i])
                    : Typed(t.Int32Data, n, what).Select(v => (long)(byte)v).ToArray(), shape, type);
            case OnnxDataType.Int16:
                return ConstTensor.FromLongs(hasRaw ? Longs(raw.Span, n, 2, what, (s, i) => BinaryPrimitives.ReadInt16LittleEndian(s[(i * 2)..]))
                    : Typed(t.Int32Data, n, what).Select(v => (long)(short)v).ToArray(), shape, type);
            case OnnxDataType.UInt16:
                return ConstTensor.FromLongs(hasRaw ? Longs(raw.Span, n, 2, what, (s, i) => BinaryPrimitives.ReadUInt16LittleEndian(s[(i * 2)..]))
                    : Typed(t.Int32Data, n, what).Select(v => (long)(ushort)v).ToArray(), shape, type);
            case OnnxDataType.UInt32:
                return ConstTensor.FromLongs(hasRaw ? Longs(raw.Span, n, 4, what, (s, i) => BinaryPrimitives.ReadUInt32LittleEndian(s[(i * 4)..]))
                    : Typed(t.Uint64Data, n, what).Select(v => (long)v).ToArray(), shape, type);
            default:
                throw new OnnxImportException($"{what} has data type {type} ({t.DataType}); supported: float, double, float16, " +
                    "int64, int32, int16, int8, uint32, uint16, uint8, bool") { IsUnsupported = true };
        }
    }

    private delegate T Element<T>(ReadOnlySpan<byte> bytes, int index);

    private static float[] Floats(ReadOnlySpan<byte> raw, int n, int size, string what, Element<float> read)
    {
        CheckRaw(raw, n, size, what);
        var result = new float[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = read(raw, i);
        }

        return result;
    }

    private static long[] Longs(ReadOnlySpan<byte> raw, int n, int size, string what, Element<long> read)
    {
        CheckRaw(raw, n, size, what);
        var result = new long[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = read(raw, i);
        }

        return result;
    }

    private static void CheckRaw(ReadOnlySpan<byte> raw, int n, int size, string what)
    {
        if (raw.Length != (long)n * size)
        {
            throw new OnnxImportException($"{what}: raw_data holds {raw.Length} bytes; its dims need {(long)n * size}");
        }
    }

    private static T[] Typed<T>(IList<T> values, int n, string what)
    {
        if (values.Count != n)
        {
            throw new OnnxImportException($"{what}: holds {values.Count} values; its dims need {n}");
        }

        return [.. values];
    }
}
