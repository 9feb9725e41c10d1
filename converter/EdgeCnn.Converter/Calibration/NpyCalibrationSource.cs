using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EdgeCnn.Converter.Calibration;

/// <summary>
/// Calibration samples from NumPy .npy files holding model input values as the model takes them (already preprocessed):
/// float32 or float64, little-endian, C order, shape [N, ...input dims] (N samples) or exactly the input's shape (one
/// sample). A folder takes every .npy file in it, in name order. At most <c>limit</c> samples, taken evenly.
/// </summary>
public sealed class NpyCalibrationSource : ICalibrationSource
{
    private readonly float[][] _samples;

    public NpyCalibrationSource(string path, int sampleSize, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        string[] files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.npy").Order(StringComparer.Ordinal).ToArray()
            : [path];
        if (files.Length == 0)
        {
            throw new CalibrationException($"{path}: no .npy files in the folder");
        }

        var all = new List<float[]>();
        foreach (string f in files)
        {
            float[] values = Read(f, out long[] shape);
            if (values.Length % sampleSize != 0)
            {
                throw new CalibrationException($"{f}: shape ({string.Join(", ", shape)}) holds {values.Length} values, not a whole " +
                    $"number of model inputs of {sampleSize} values");
            }

            for (int s = 0; s < values.Length / sampleSize; s++)
            {
                all.Add(values.AsSpan(s * sampleSize, sampleSize).ToArray());
            }
        }

        int take = Math.Min(limit, all.Count);
        _samples = Enumerable.Range(0, take).Select(i => all[(int)((long)i * all.Count / take)]).ToArray();
        Description = $"{take} of {all.Count} tensors of {path} (.npy)";
    }

    public int Count => _samples.Length;

    public string Description { get; }

    public void Fill(int index, Span<float> input)
    {
        if (input.Length != _samples[index].Length)
        {
            throw new CalibrationException($"the model input holds {input.Length} values; the .npy samples hold {_samples[index].Length}");
        }

        _samples[index].CopyTo(input);
    }

    /// <summary>Reads a .npy file (format versions 1 to 3) of float32 or float64 into floats.</summary>
    public static float[] Read(string path, out long[] shape)
    {
        byte[] bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(magic))
        {
            throw new CalibrationException($"{path}: not a .npy file (no \\x93NUMPY magic at offset 0)");
        }

        int major = bytes[6];
        int headerLength, headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            headerStart = 10;
        }
        else if (major is 2 or 3 && bytes.Length >= 12)
        {
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
            headerStart = 12;
        }
        else
        {
            throw new CalibrationException($"{path}: .npy format version {major} at offset 6 is not supported (1 to 3 are)");
        }

        if (headerStart + (long)headerLength > bytes.Length)
        {
            throw new CalibrationException($"{path}: the header of {headerLength} bytes at offset {headerStart} runs past the end of the file");
        }

        string header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        string descr = Field(header, "descr", path).Trim('\'', '"', ' ');
        if (!string.Equals(Field(header, "fortran_order", path).Trim(), "False", StringComparison.Ordinal))
        {
            throw new CalibrationException($"{path}: Fortran-ordered arrays are not supported (save with C order)");
        }

        string shapeText = Field(header, "shape", path).Trim().TrimStart('(').TrimEnd(')');
        shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v
                : throw new CalibrationException($"{path}: header shape '({shapeText})' is not a tuple of sizes"))
            .ToArray();
        long count = shape.Aggregate(1L, (a, d) => checked(a * d));
        int size = descr switch
        {
            "<f4" => 4,
            "<f8" => 8,
            _ => throw new CalibrationException($"{path}: dtype '{descr}' is not supported; .npy calibration tensors are float32 ('<f4') or float64 ('<f8')"),
        };
        int data = headerStart + headerLength;
        if (bytes.Length - data != count * size)
        {
            throw new CalibrationException($"{path}: shape ({shapeText}) of {descr} needs {count * size} data bytes after offset {data}; the file has {bytes.Length - data}");
        }

        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = size == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(data + (i * 4))))
                : (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)(data + (i * 8))));
        }

        return values;
    }

    private static string Field(string header, string key, string path)
    {
        int k = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        int colon = k < 0 ? -1 : header.IndexOf(':', k);
        if (colon < 0)
        {
            throw new CalibrationException($"{path}: the header has no '{key}' field: {header.Trim()}");
        }

        int end = string.Equals(key, "shape", StringComparison.Ordinal) ? header.IndexOf(')', colon) + 1 : header.IndexOf(',', colon);
        if (end <= colon)
        {
            end = header.LastIndexOf('}');
        }

        return header[(colon + 1)..end];
    }
}
