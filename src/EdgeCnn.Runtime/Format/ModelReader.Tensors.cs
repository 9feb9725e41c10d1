using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Format;

/// <summary>Tensor records and their quantization (FORMAT.md, "Tensors" and "Quant").</summary>
public static partial class ModelReader
{
    private static unsafe TensorDesc[] ReadTensors(ReadOnlySpan<byte> file, Tables strings, (long Offset, long Bytes, uint Count) table,
        (long Offset, long Bytes, uint Count) quant, (long Offset, long Bytes, uint Count) weights)
    {
        var tensors = new TensorDesc[table.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var records = MemoryMarshal.Cast<byte, TensorRecord>(file.Slice((int)table.Offset, (int)table.Bytes));
        var quants = MemoryMarshal.Cast<byte, QuantRecord>(file.Slice((int)quant.Offset, (int)quant.Bytes));
        for (int i = 0; i < records.Length; i++)
        {
            TensorRecord r = records[i];
            long at = table.Offset + (i * (long)FormatLayout.TensorRecordBytes);
            string name = strings.Get(r.NameOffset, r.NameBytes, at, "tensor.name");
            if (name.Length == 0 || !names.Add(name))
            {
                throw new EcnnFormatException(at, "tensor.name", $"tensor {i}: name '{name}' is empty or used twice");
            }

            if (!DataTypeExtensions.IsDefined(r.DataType))
            {
                throw new EcnnFormatException(at + 8, "tensor.dtype", $"tensor {i} '{name}': data type code {r.DataType} is unknown");
            }

            if (r.Rank > FormatLayout.MaxRank)
            {
                throw new EcnnFormatException(at + 9, "tensor.rank", $"tensor {i} '{name}': rank {r.Rank} exceeds {FormatLayout.MaxRank}");
            }

            if ((r.Flags & ~1) != 0)
            {
                throw new EcnnFormatException(at + 10, "tensor.flags", $"tensor {i} '{name}': undefined flag bits 0x{r.Flags:X2}");
            }

            var shape = new int[r.Rank];
            for (int d = 0; d < FormatLayout.MaxRank; d++)
            {
                int dim = r.Dims[d];
                if (d < r.Rank && dim < 1)
                {
                    throw new EcnnFormatException(at + 16 + (4 * d), "tensor.dims", $"tensor {i} '{name}': dim {d} is {dim}; dims must be >= 1");
                }

                if (d >= r.Rank && dim != 0)
                {
                    throw new EcnnFormatException(at + 16 + (4 * d), "tensor.dims", $"tensor {i} '{name}': dim {d} beyond rank {r.Rank} must be 0");
                }

                if (d < r.Rank)
                {
                    shape[d] = dim;
                }
            }

            var type = (DataType)r.DataType;
            long bytes;
            try
            {
                bytes = checked(ShapeMath.ElementCount(shape) * type.SizeInBytes());
            }
            catch (OverflowException)
            {
                throw new EcnnFormatException(at + 16, "tensor.elements", $"tensor {i} '{name}': shape {ShapeMath.Format(shape)} overflows");
            }

            if (bytes > FormatLayout.MaxTensorBytes)
            {
                throw new EcnnFormatException(at + 16, "tensor.elements", $"tensor {i} '{name}': {bytes} bytes exceeds the {FormatLayout.MaxTensorBytes}-byte limit");
            }

            QuantizationInfo? q = ReadQuant(r, quants, shape, type, at, i, name);
            var t = new TensorDesc(name, type, shape, q) { IsConstant = (r.Flags & 1) != 0 };
            if (t.IsConstant)
            {
                if (r.DataBytes != (ulong)bytes)
                {
                    throw new EcnnFormatException(at + 56, "tensor.data", $"tensor {i} '{name}': {r.DataBytes} data bytes, shape and type need {bytes}");
                }

                if (r.DataOffset % FormatLayout.WeightAlignment != 0 || r.DataOffset > (ulong)weights.Bytes || r.DataBytes > (ulong)weights.Bytes - r.DataOffset)
                {
                    throw new EcnnFormatException(at + 48, "tensor.data",
                        $"tensor {i} '{name}': data at {r.DataOffset} (+{r.DataBytes}) is misaligned or outside the weights section of {weights.Bytes} bytes");
                }

                t.DataOffset = (long)r.DataOffset;
                t.DataBytes = (long)r.DataBytes;
            }
            else if (r.DataOffset != 0 || r.DataBytes != 0)
            {
                throw new EcnnFormatException(at + 48, "tensor.data", $"tensor {i} '{name}' is not constant but has data");
            }

            tensors[i] = t;
        }

        return tensors;
    }

    private static QuantizationInfo? ReadQuant(TensorRecord r, ReadOnlySpan<QuantRecord> quants, int[] shape, DataType type, long at, int i, string name)
    {
        if (r.QuantKind == 0)
        {
            if (r.QuantCount != 0 || r.QuantIndex != 0 || r.QuantAxis != -1)
            {
                throw new EcnnFormatException(at + 11, "tensor.quant", $"tensor {i} '{name}' is not quantized but has quantization fields set");
            }

            return null;
        }

        if (r.QuantKind > 2 || type == DataType.Float32)
        {
            throw new EcnnFormatException(at + 11, "tensor.quant", $"tensor {i} '{name}': quantization kind {r.QuantKind} is not valid for {type.Name()}");
        }

        int expected = 1;
        if (r.QuantKind == 2)
        {
            if (r.QuantAxis < 0 || r.QuantAxis >= shape.Length)
            {
                throw new EcnnFormatException(at + 12, "tensor.quant", $"tensor {i} '{name}': quantization axis {r.QuantAxis} is outside rank {shape.Length}");
            }

            expected = shape[r.QuantAxis];
        }
        else if (r.QuantAxis != -1)
        {
            throw new EcnnFormatException(at + 12, "tensor.quant", $"tensor {i} '{name}': per-tensor quantization must have axis -1");
        }

        if (r.QuantCount != expected || r.QuantIndex > (uint)quants.Length || r.QuantCount > (uint)quants.Length - r.QuantIndex)
        {
            throw new EcnnFormatException(at + 40, "tensor.quant",
                $"tensor {i} '{name}': quantization records {r.QuantIndex}+{r.QuantCount} (need {expected}) are outside the {quants.Length} records");
        }

        var scales = new float[expected];
        var zeroPoints = new int[expected];
        (int lo, int hi) = type == DataType.Int8 ? (-128, 127) : (0, 0);
        for (int c = 0; c < expected; c++)
        {
            QuantRecord q = quants[(int)r.QuantIndex + c];
            if (!float.IsFinite(q.Scale) || q.Scale <= 0f)
            {
                throw new EcnnFormatException(at + 40, "tensor.quant", $"tensor {i} '{name}': scale {q.Scale} must be finite and > 0");
            }

            if (q.ZeroPoint < lo || q.ZeroPoint > hi)
            {
                throw new EcnnFormatException(at + 40, "tensor.quant", $"tensor {i} '{name}': zero point {q.ZeroPoint} outside {lo}..{hi} for {type.Name()}");
            }

            scales[c] = q.Scale;
            zeroPoints[c] = q.ZeroPoint;
        }

        return new QuantizationInfo(scales, zeroPoints, r.QuantKind == 2 ? r.QuantAxis : -1);
    }
}
