using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Pad;

/// <summary>
/// Constant Pad (and crop) by rows of the reduced innermost axis: each output row is either all fill (its outer coordinates
/// fall in the padding) or fill, one contiguous copy of the input row's kept part, fill. Outer coordinates advance as an
/// odometer; nothing per element but the copy and the fill, where the reference resolves every element's coordinates.
/// </summary>
internal sealed unsafe class PadConstantRowsKernel<T> : Kernel
    where T : unmanaged
{
    private readonly string _name;
    private readonly T* _x;
    private readonly T* _y;
    private readonly int[] _in, _out, _begin; // reduced shapes and pads, outermost first
    private readonly long[] _inStride; // elements per step of each reduced input axis
    private readonly long _rows; // output rows: product of the outer output axes
    private readonly int _rowLength, _head, _copy, _copyFrom; // output row; fill before the copy; copied; first input element
    private readonly T _fill;

    public PadConstantRowsKernel(string name, PadPlan plan, T fill)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _name = name;
        _x = (T*)plan.X;
        _y = (T*)plan.Y;
        (_in, _out, _begin) = (plan.InShape, plan.OutShape, plan.Begin);
        int r = _in.Length;
        _inStride = new long[r];
        long s = 1;
        for (int d = r - 1; d >= 0; d--)
        {
            _inStride[d] = s;
            s *= _in[d];
        }

        _rows = 1;
        for (int d = 0; d < r - 1; d++)
        {
            _rows *= _out[d];
        }

        _rowLength = _out[r - 1];
        int begin = _begin[r - 1];
        _head = Math.Clamp(begin, 0, _rowLength);
        int end = (int)Math.Clamp((long)begin + _in[r - 1], 0, _rowLength);
        _copy = Math.Max(0, end - _head);
        _copyFrom = _head - begin;
        _fill = fill;
    }

    public override string Name => _name;

    public static bool Accepts(PadPlan plan) => plan.Mode == PadKernels.Constant && plan.InShape.Length <= PadKernels.MaxRank;

    /// <summary>
    /// Reduced to [rows, row] (a crop of the last axis, NHWC spatial padding of one image): the input row is the output row
    /// minus the begin pad, no odometer.
    /// </summary>
    private void Rows2D()
    {
        int rows = _out[0], inRows = _in[0], begin = _begin[0], inRow = _in[1];
        int tail = _rowLength - _head - _copy;
        T* y = _y;
        for (int row = 0; row < rows; row++, y += _rowLength)
        {
            int i = row - begin;
            if ((uint)i >= (uint)inRows || _copy == 0)
            {
                new Span<T>(y, _rowLength).Fill(_fill);
                continue;
            }

            if (_head > 0)
            {
                new Span<T>(y, _head).Fill(_fill);
            }

            Copy(_x + ((long)i * inRow) + _copyFrom, y + _head, _copy);
            if (tail > 0)
            {
                new Span<T>(y + _head + _copy, tail).Fill(_fill);
            }
        }
    }

    /// <summary>Short rows (a crop of the last axis keeps a few elements) by element: a memmove call costs more than they do.</summary>
    private static void Copy(T* src, T* dst, int count)
    {
        if (count <= 8)
        {
            for (int i = 0; i < count; i++)
            {
                dst[i] = src[i];
            }
        }
        else
        {
            new ReadOnlySpan<T>(src, count).CopyTo(new Span<T>(dst, count));
        }
    }

    public override void Run()
    {
        if (_in.Length == 2)
        {
            Rows2D();
            return;
        }

        int outer = _in.Length - 1;
        Span<int> coord = stackalloc int[PadKernels.MaxRank];
        coord.Clear();
        T* y = _y;
        int tail = _rowLength - _head - _copy;
        for (long row = 0; row < _rows; row++, y += _rowLength)
        {
            long src = _copyFrom;
            bool inside = _copy > 0;
            for (int d = 0; d < outer; d++)
            {
                int i = coord[d] - _begin[d];
                inside &= (uint)i < (uint)_in[d];
                src += i * _inStride[d];
            }

            if (!inside)
            {
                new Span<T>(y, _rowLength).Fill(_fill);
            }
            else
            {
                if (_head > 0)
                {
                    new Span<T>(y, _head).Fill(_fill);
                }

                Copy(_x + src, y + _head, _copy);
                if (tail > 0)
                {
                    new Span<T>(y + _head + _copy, tail).Fill(_fill);
                }
            }

            for (int d = outer - 1; d >= 0; d--)
            {
                if (++coord[d] < _out[d])
                {
                    break;
                }

                coord[d] = 0;
            }
        }
    }
}
