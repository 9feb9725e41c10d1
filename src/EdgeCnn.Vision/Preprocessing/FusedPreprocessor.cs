using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Vision.Capture;
using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// Camera frame to model input in one pass over the frame, with no allocation: for each source row the crop needs, convert
/// the camera's pixel format to fp32 channel rows (<see cref="RowConverter"/>), resample them horizontally into a small
/// ring of output-width rows; for each output row, blend its source rows vertically, normalize and write fp32 or quantized
/// int8 straight into the input tensor (NHWC or NCHW). Every source row is converted and filtered once, however many
/// output rows use it. Buffers and resampling tables are made at construction (plan time). MJPEG frames are decoded by
/// libturbojpeg into a frame-sized RGB buffer first. Not thread-safe: one per pipeline.
/// </summary>
public sealed class FusedPreprocessor : IDisposable
{
    private readonly FrameFormat _source;
    private readonly FrameFormat _rowFormat;
    private readonly PreprocessPlan _plan;
    private readonly ResampleTable _x;
    private readonly ResampleTable _y;
    private readonly int _inChannels;
    private readonly int _rowElements;       // OutWidth * OutChannels
    private readonly float[] _planes;        // [3][CropWidth] converted source row
    private readonly float[] _ring;          // [RingRows][_rowElements] horizontally resampled rows
    private readonly int[] _ringRow;         // which crop row each ring slot holds (-1: none)
    private readonly float[] _acc;           // [_rowElements]
    private readonly float[] _mul;           // [_rowElements] per-element normalization, in row layout
    private readonly float[] _add;           // [_rowElements]
    private readonly byte[]? _decoded;       // MJPEG: the decoded RGB frame
    private readonly TurboJpeg? _jpeg;

    public FusedPreprocessor(FrameFormat source, PreprocessPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Validate(source, plan);
        _source = source;
        _plan = plan;
        if (source.PixelFormat == PixelFormat.Mjpeg)
        {
            _jpeg = TurboJpeg.Open();
            _decoded = new byte[source.Width * source.Height * 3];
            _rowFormat = new FrameFormat(PixelFormat.Rgb24, source.Width, source.Height);
        }
        else
        {
            _rowFormat = source;
        }

        _inChannels = _rowFormat.Channels;
        _x = ResampleTable.Create(plan.CropWidth, plan.OutWidth, plan.Resize);
        _y = ResampleTable.Create(plan.CropHeight, plan.OutHeight, plan.Resize);
        _rowElements = plan.OutWidth * plan.OutChannels;
        _planes = new float[3 * plan.CropWidth];
        RingRows = _y.MaxTaps + 1;
        _ring = new float[RingRows * _rowElements];
        _ringRow = new int[RingRows];
        _acc = new float[_rowElements];
        _mul = new float[_rowElements];
        _add = new float[_rowElements];
        for (int x = 0; x < plan.OutWidth; x++)
        {
            for (int c = 0; c < plan.OutChannels; c++)
            {
                int i = Index(x, c);
                float scale = plan.Int8 ? 1f / plan.QuantScale : 1f;
                _mul[i] = plan.Multiply[c] * scale;
                _add[i] = plan.Add[c] * scale;
            }
        }
    }

    public PreprocessPlan Plan => _plan;

    /// <summary>Rows of resampled output the ring keeps (the most source rows one output row blends, plus one).</summary>
    public int RingRows { get; }

    /// <summary>Preprocesses one frame into an fp32 input tensor of <see cref="PreprocessPlan.OutputElements"/> values.</summary>
    public void Run(ReadOnlySpan<byte> frame, Span<float> input)
    {
        if (_plan.Int8)
        {
            throw new InvalidOperationException("this plan writes an int8 input; call the sbyte overload");
        }

        CheckOutput(input.Length);
        ReadOnlySpan<byte> rows = Prepare(frame);
        for (int oy = 0; oy < _plan.OutHeight; oy++)
        {
            Blend(rows, oy);
            ReadOnlySpan<float> acc = _acc;
            if (_plan.Nchw)
            {
                int plane = _plan.OutWidth * _plan.OutHeight;
                for (int c = 0; c < _plan.OutChannels; c++)
                {
                    int o = c * _plan.OutWidth;
                    Normalize(acc.Slice(o, _plan.OutWidth), _mul.AsSpan(o), _add.AsSpan(o), input.Slice((c * plane) + (oy * _plan.OutWidth), _plan.OutWidth));
                }
            }
            else
            {
                Normalize(acc, _mul, _add, input.Slice(oy * _rowElements, _rowElements));
            }
        }
    }

    /// <summary>Preprocesses one frame into a quantized int8 input tensor.</summary>
    public void Run(ReadOnlySpan<byte> frame, Span<sbyte> input)
    {
        if (!_plan.Int8)
        {
            throw new InvalidOperationException("this plan writes an fp32 input; call the float overload");
        }

        CheckOutput(input.Length);
        ReadOnlySpan<byte> rows = Prepare(frame);
        for (int oy = 0; oy < _plan.OutHeight; oy++)
        {
            Blend(rows, oy);
            ReadOnlySpan<float> acc = _acc;
            if (_plan.Nchw)
            {
                int plane = _plan.OutWidth * _plan.OutHeight;
                for (int c = 0; c < _plan.OutChannels; c++)
                {
                    int o = c * _plan.OutWidth;
                    Quantize(acc.Slice(o, _plan.OutWidth), _mul.AsSpan(o), _add.AsSpan(o), _plan.QuantZeroPoint, input.Slice((c * plane) + (oy * _plan.OutWidth), _plan.OutWidth));
                }
            }
            else
            {
                Quantize(acc, _mul, _add, _plan.QuantZeroPoint, input.Slice(oy * _rowElements, _rowElements));
            }
        }
    }

    public void Dispose() => _jpeg?.Dispose();

    private static void Validate(FrameFormat source, PreprocessPlan p)
    {
        if (p.CropWidth < 1 || p.CropHeight < 1 || p.CropX < 0 || p.CropY < 0 || p.CropX + p.CropWidth > source.Width || p.CropY + p.CropHeight > source.Height)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"crop {p.CropWidth}x{p.CropHeight} at ({p.CropX},{p.CropY}) does not fit in the {source.Width}x{source.Height} frame"), nameof(p));
        }

        if (p.OutWidth < 1 || p.OutHeight < 1 || p.OutChannels is not (1 or 3) || p.Multiply.Length < p.OutChannels || p.Add.Length < p.OutChannels)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"output {p.OutWidth}x{p.OutHeight}x{p.OutChannels} with {p.Multiply.Length} multipliers and {p.Add.Length} offsets is not a valid plan"), nameof(p));
        }

        if (p.Int8 && !(p.QuantScale > 0f && float.IsFinite(p.QuantScale)))
        {
            throw new ArgumentException($"int8 input scale {p.QuantScale} must be positive and finite", nameof(p));
        }
    }

    private void CheckOutput(int length)
    {
        if (length != _plan.OutputElements)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the input tensor holds {length} values; the plan writes {_plan.OutputElements}"), nameof(length));
        }
    }

    /// <summary>The frame as rows the row converter reads (MJPEG decoded first), and a cleared ring.</summary>
    private ReadOnlySpan<byte> Prepare(ReadOnlySpan<byte> frame)
    {
        Array.Fill(_ringRow, -1);
        if (_jpeg is null)
        {
            return frame.Length >= _source.FrameBytes ? frame
                : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"a {_source} frame needs {_source.FrameBytes} bytes; got {frame.Length}"), nameof(frame));
        }

        _jpeg.Decode(frame, _decoded, _source.Width, _source.Height, 3);
        return _decoded;
    }

    /// <summary>Fills _acc with output row <paramref name="oy"/> before normalization.</summary>
    private void Blend(ReadOnlySpan<byte> frame, int oy)
    {
        int start = _y.Start[oy], count = _y.Count[oy], wo = _y.WeightOffset[oy];
        Span<float> acc = _acc;
        for (int k = 0; k < count; k++)
        {
            ReadOnlySpan<float> row = Row(frame, start + k);
            float w = _y.Weights[wo + k];
            if (k == 0)
            {
                Scale(row, w, acc);
            }
            else
            {
                MultiplyAdd(row, w, acc);
            }
        }
    }

    /// <summary>Crop row <paramref name="cy"/>, converted and resampled horizontally, from the ring or made now.</summary>
    private ReadOnlySpan<float> Row(ReadOnlySpan<byte> frame, int cy)
    {
        int slot = cy % RingRows;
        Span<float> row = _ring.AsSpan(slot * _rowElements, _rowElements);
        if (_ringRow[slot] == cy)
        {
            return row;
        }

        int w = _plan.CropWidth;
        Span<float> c0 = _planes.AsSpan(0, w), c1 = _planes.AsSpan(w, w), c2 = _planes.AsSpan(2 * w, w);
        RowConverter.Convert(frame, _rowFormat, _plan.CropY + cy, _plan.CropX, w, c0, c1, c2);
        if (_inChannels == 3 && _plan.OutChannels == 1)
        {
            Luma(c0, c1, c2);
        }

        for (int c = 0; c < _plan.OutChannels; c++)
        {
            int plane = _inChannels == 1 ? 0 : _plan.OutChannels == 1 ? 0 : _plan.Bgr ? 2 - c : c;
            ReadOnlySpan<float> src = _planes.AsSpan(plane * w, w);
            for (int x = 0; x < _plan.OutWidth; x++)
            {
                int s = _x.Start[x], n = _x.Count[x], o = _x.WeightOffset[x];
                float v = _x.Weights[o] * src[s];
                for (int k = 1; k < n; k++)
                {
                    v += _x.Weights[o + k] * src[s + k];
                }

                row[Index(x, c)] = v;
            }
        }

        _ringRow[slot] = cy;
        return row;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Index(int x, int c) => _plan.Nchw ? (c * _plan.OutWidth) + x : (x * _plan.OutChannels) + c;

    /// <summary>Grey from colour into plane 0: 0.299 R + 0.587 G + 0.114 B.</summary>
    private static void Luma(Span<float> r, ReadOnlySpan<float> g, ReadOnlySpan<float> b)
    {
        int i = 0;
        ref float rr = ref MemoryMarshal.GetReference(r);
        ref float gg = ref MemoryMarshal.GetReference(g);
        ref float bb = ref MemoryMarshal.GetReference(b);
        for (; i + 4 <= r.Length; i += 4)
        {
            Vector128<float> v = (Vector128.LoadUnsafe(ref rr, (nuint)i) * PreprocessPlan.LumaR)
                + (Vector128.LoadUnsafe(ref gg, (nuint)i) * PreprocessPlan.LumaG)
                + (Vector128.LoadUnsafe(ref bb, (nuint)i) * PreprocessPlan.LumaB);
            v.StoreUnsafe(ref rr, (nuint)i);
        }

        for (; i < r.Length; i++)
        {
            r[i] = (r[i] * PreprocessPlan.LumaR) + (g[i] * PreprocessPlan.LumaG) + (b[i] * PreprocessPlan.LumaB);
        }
    }

    private static void Scale(ReadOnlySpan<float> row, float w, Span<float> acc)
    {
        int i = 0;
        ref float s = ref MemoryMarshal.GetReference(row);
        ref float d = ref MemoryMarshal.GetReference(acc);
        for (; i + 4 <= row.Length; i += 4)
        {
            (Vector128.LoadUnsafe(ref s, (nuint)i) * w).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < row.Length; i++)
        {
            acc[i] = row[i] * w;
        }
    }

    private static void MultiplyAdd(ReadOnlySpan<float> row, float w, Span<float> acc)
    {
        int i = 0;
        ref float s = ref MemoryMarshal.GetReference(row);
        ref float d = ref MemoryMarshal.GetReference(acc);
        for (; i + 4 <= row.Length; i += 4)
        {
            (Vector128.LoadUnsafe(ref d, (nuint)i) + (Vector128.LoadUnsafe(ref s, (nuint)i) * w)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < row.Length; i++)
        {
            acc[i] += row[i] * w;
        }
    }

    private static void Normalize(ReadOnlySpan<float> acc, ReadOnlySpan<float> mul, ReadOnlySpan<float> add, Span<float> output)
    {
        int i = 0, n = output.Length;
        ref float a = ref MemoryMarshal.GetReference(acc);
        ref float m = ref MemoryMarshal.GetReference(mul);
        ref float b = ref MemoryMarshal.GetReference(add);
        ref float o = ref MemoryMarshal.GetReference(output);
        for (; i + 4 <= n; i += 4)
        {
            ((Vector128.LoadUnsafe(ref a, (nuint)i) * Vector128.LoadUnsafe(ref m, (nuint)i)) + Vector128.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref o, (nuint)i);
        }

        for (; i < n; i++)
        {
            output[i] = (acc[i] * mul[i]) + add[i];
        }
    }

    private static void Quantize(ReadOnlySpan<float> acc, ReadOnlySpan<float> mul, ReadOnlySpan<float> add, int zeroPoint, Span<sbyte> output)
    {
        int i = 0, n = output.Length;
        ref float a = ref MemoryMarshal.GetReference(acc);
        ref float m = ref MemoryMarshal.GetReference(mul);
        ref float b = ref MemoryMarshal.GetReference(add);
        Vector128<int> zp = Vector128.Create(zeroPoint), lo = Vector128.Create(-128), hi = Vector128.Create(127);
        for (; i + 4 <= n; i += 4)
        {
            Vector128<float> v = (Vector128.LoadUnsafe(ref a, (nuint)i) * Vector128.LoadUnsafe(ref m, (nuint)i)) + Vector128.LoadUnsafe(ref b, (nuint)i);
            Vector128<int> q = Vector128.Min(Vector128.Max(Vector128.ConvertToInt32(Vector128.Round(v)) + zp, lo), hi);
            output[i] = (sbyte)q.GetElement(0);
            output[i + 1] = (sbyte)q.GetElement(1);
            output[i + 2] = (sbyte)q.GetElement(2);
            output[i + 3] = (sbyte)q.GetElement(3);
        }

        for (; i < n; i++)
        {
            output[i] = (sbyte)Math.Clamp((int)MathF.Round((acc[i] * mul[i]) + add[i]) + zeroPoint, -128, 127);
        }
    }
}
