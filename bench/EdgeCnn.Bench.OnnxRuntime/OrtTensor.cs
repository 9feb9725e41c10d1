using System.Runtime.InteropServices;

namespace EdgeCnn.Bench.OnnxRuntime;

/// <summary>
/// A named tensor in managed memory: the input given to <see cref="OrtSession.Run(IReadOnlyList{OrtTensor})"/> or an
/// output copied out of ONNX Runtime. <see cref="Data"/> is a float[], byte[], sbyte[], int[] or long[] holding exactly
/// the product of <see cref="Shape"/> elements, row-major as ONNX lays tensors out.
/// </summary>
public sealed class OrtTensor
{
    private readonly long[] _shape;

    private OrtTensor(string name, OrtElementType type, Array data, long[] shape)
    {
        Name = name;
        ElementType = type;
        Data = data;
        _shape = shape;
    }

    public string Name { get; }

    public OrtElementType ElementType { get; }

    public IReadOnlyList<long> Shape => _shape;

    public Array Data { get; }

    public int Length => Data.Length;

    /// <summary>A tensor over <paramref name="data"/> (not copied); its length must equal the product of <paramref name="shape"/>.</summary>
    public static OrtTensor Create<T>(string name, T[] data, params long[] shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = ElementCount(shape, $"tensor '{name}'");
        if (count != data.Length)
        {
            throw new ArgumentException($"tensor '{name}': shape {ShapeText(shape)} holds {count} elements but {data.Length} were given", nameof(data));
        }

        return new OrtTensor(name, OrtElementTypes.Of(typeof(T)), data, (long[])shape.Clone());
    }

    /// <summary>The elements as <typeparamref name="T"/>; throws naming both types when the tensor holds another type.</summary>
    public T[] As<T>()
        where T : unmanaged
    {
        OrtElementType wanted = OrtElementTypes.Of(typeof(T));
        return wanted == ElementType && Data is T[] typed
            ? typed
            : throw new InvalidOperationException($"tensor '{Name}' holds {OrtElementTypes.Name(ElementType)}, not {OrtElementTypes.Name(wanted)}");
    }

    /// <summary>The raw bytes of the elements.</summary>
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(
        ref MemoryMarshal.GetArrayDataReference(Data), checked(Data.Length * OrtElementTypes.Size(ElementType)));

    public override string ToString() => $"{Name} {OrtElementTypes.Name(ElementType)}{ShapeText(_shape)}";

    internal static OrtTensor Wrap(string name, OrtElementType type, Array data, long[] shape) => new(name, type, data, shape);

    /// <summary>The element count of a shape (every dim non-negative), overflow-checked.</summary>
    internal static long ElementCount(ReadOnlySpan<long> shape, string what)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"{what}: shape {ShapeText(shape)} has a negative dimension", nameof(shape));
            }

            count = checked(count * d);
        }

        return count;
    }

    internal static string ShapeText(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i] < 0 ? "?" : shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(',', parts) + "]";
    }
}
