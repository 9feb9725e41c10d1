using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Pad;

/// <summary>
/// Constant Pad as block copies: the axes after the last padded one are one contiguous chunk of <c>inner</c> elements in
/// both tensors, so every output block (one index of the axes before the padded axis a, then all of a) is a fill, a single
/// copy of the overlapping input run, and a fill. Plan maps each output block to its input block (or none, when an outer
/// coordinate falls in the padding) and the overlap [lo, hi) on axis a; Run only fills and copies, with the BCL's vectorized
/// Span.Fill and CopyTo. An NHWC spatial pad copies whole rows of W x C bytes, where the reference maps every element
/// through every axis. Bit-exact with the reference by construction: it moves the same elements.
/// </summary>
internal sealed unsafe class PadRowsKernel<T> : Kernel
    where T : unmanaged
{
    private readonly string _name;
    private readonly T* _x, _y;
    private readonly long[] _source; // [blocks]: element offset of the input block feeding output block b, or -1
    private readonly long _blockLength, _inner, _lo, _hi, _shift; // elements; overlap [lo, hi) of axis a; input index = j - shift
    private readonly T _fill;

    public PadRowsKernel(string name, PadPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _name = name;
        _x = (T*)plan.X;
        _y = (T*)plan.Y;
        _fill = Bits(plan.Fill);
        int[] inShape = plan.InShape, outShape = plan.OutShape, begin = plan.PadBegin;
        int rank = inShape.Length;
        int a = rank - 1;
        while (a > 0 && begin[a] == 0 && inShape[a] == outShape[a])
        {
            a--; // trailing axes without padding join the contiguous chunk
        }

        _inner = 1;
        for (int d = a + 1; d < rank; d++)
        {
            _inner *= outShape[d];
        }

        long outA = rank == 0 ? 1 : outShape[a], inA = rank == 0 ? 1 : inShape[a];
        _blockLength = outA * _inner;
        _shift = rank == 0 ? 0 : begin[a];
        _lo = Math.Clamp(_shift, 0, outA);
        _hi = Math.Clamp(inA + _shift, _lo, outA);

        long blocks = 1;
        for (int d = 0; d < a; d++)
        {
            blocks *= outShape[d];
        }

        _source = new long[blocks];
        long inBlock = inA * _inner;
        for (long b = 0; b < blocks; b++)
        {
            long rest = b, src = 0, stride = inBlock;
            for (int d = a - 1; d >= 0 && src >= 0; d--)
            {
                long i = (rest % outShape[d]) - begin[d];
                rest /= outShape[d];
                src = (ulong)i < (ulong)inShape[d] ? src + (i * stride) : -1;
                stride *= inShape[d];
            }

            _source[b] = src;
        }
    }

    public override string Name => _name;

    /// <summary>Whether this kernel handles the plan: constant mode is the caller's check; any shapes and signed pads are.</summary>
    public static bool Accepts(PadPlan plan) => plan is not null && plan.InShape.Length == plan.OutShape.Length && plan.InShape.Length >= 1;

    public override void Run()
    {
        long block = _blockLength, lo = _lo * _inner, hi = _hi * _inner;
        T fill = _fill;
        T* y = _y;
        for (int b = 0; b < _source.Length; b++, y += block)
        {
            long src = _source[b];
            if (src < 0 || hi == lo)
            {
                Fill(y, block, fill);
                continue;
            }

            Fill(y, lo, fill);
            Copy(_x + src + (lo - (_shift * _inner)), y + lo, hi - lo);
            Fill(y + hi, block - hi, fill);
        }
    }

    /// <summary>Short runs (a few channels, e.g. box coordinates) by a plain loop: a span call costs more than they do.</summary>
    private const int ShortRun = 16;

    private static void Fill(T* p, long count, T value)
    {
        if (count <= ShortRun)
        {
            for (long i = 0; i < count; i++)
            {
                p[i] = value;
            }
        }
        else
        {
            new Span<T>(p, checked((int)count)).Fill(value);
        }
    }

    private static void Copy(T* from, T* to, long count)
    {
        if (count <= ShortRun)
        {
            for (long i = 0; i < count; i++)
            {
                to[i] = from[i];
            }
        }
        else
        {
            new ReadOnlySpan<T>(from, checked((int)count)).CopyTo(new Span<T>(to, (int)count));
        }
    }

    private static T Bits(long bits)
    {
        T value = default;
        new ReadOnlySpan<byte>(&bits, sizeof(T)).CopyTo(new Span<byte>(&value, sizeof(T)));
        return value;
    }
}
