using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>
/// A ChannelClip node at Plan: y[p, c] = clamp(x[p, c], Lo[c], Hi[c]) over Count / Lo.Length pixels of NHWC, fp32 or int8
/// (int8 bounds already quantized).
/// </summary>
internal sealed unsafe class ChannelClipPlan<T>(T* x, T* y, int count, T[] lo, T[] hi)
    where T : unmanaged
{
    public T* X { get; } = x;

    public T* Y { get; } = y;

    public int Count { get; } = count;

    public T[] Lo { get; } = lo;

    public T[] Hi { get; } = hi;
}

/// <summary>
/// ChannelClip on Vector128/256/512 of fp32 or int8, with the same select as the reference
/// (x &lt; lo ? lo : x &gt; hi ? hi : x, so NaN passes and the results are identical). The bounds are tiled at Plan to
/// lcm(C, lanes) elements, a whole number of vectors and of pixels, so the flat tensor runs in full vectors whatever C is;
/// only the last partial tile's tail (fewer than one vector) is scalar. Safe in place.
/// </summary>
internal sealed unsafe class ChannelClipVectorKernel<T> : Kernel
    where T : unmanaged, IComparisonOperators<T, T, bool>
{
    private readonly string _name;
    private readonly T* _x, _y;
    private readonly int _count, _tile, _channels;
    private readonly VectorWidth _width;
    private readonly PinnedBuffer<T> _bounds; // [lo tiled (_tile)][hi tiled (_tile)]

    public ChannelClipVectorKernel(string name, ChannelClipPlan<T> plan, VectorWidth width)
    {
        _name = name;
        _x = plan.X;
        _y = plan.Y;
        _count = plan.Count;
        _width = width;
        _channels = Math.Max(plan.Lo.Length, 1);
        int lanes = width switch
        {
            VectorWidth.V512 => Vector512<T>.Count,
            VectorWidth.V256 => Vector256<T>.Count,
            _ => Vector128<T>.Count,
        };
        _tile = _channels / Gcd(_channels, lanes) * lanes;
        _bounds = new PinnedBuffer<T>(2L * _tile);
        for (int i = 0; i < _tile && plan.Lo.Length > 0; i++)
        {
            _bounds.Pointer[i] = plan.Lo[i % _channels];
            _bounds.Pointer[_tile + i] = plan.Hi[i % _channels];
        }
    }

    public override string Name => _name;

    public override void Run()
    {
        for (int start = 0; start < _count; start += _tile)
        {
            int n = Math.Min(_tile, _count - start);
            int done = _width switch
            {
                VectorWidth.V512 => Run512(_x + start, _y + start, n),
                VectorWidth.V256 => Run256(_x + start, _y + start, n),
                _ => Run128(_x + start, _y + start, n),
            };
            T* lo = _bounds.Pointer, hi = _bounds.Pointer + _tile;
            for (int i = done; i < n; i++)
            {
                T v = _x[start + i];
                _y[start + i] = v < lo[i] ? lo[i] : v > hi[i] ? hi[i] : v;
            }
        }
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Run512(T* x, T* y, int n)
    {
        T* lo = _bounds.Pointer, hi = _bounds.Pointer + _tile;
        int i = 0;
        for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
        {
            Vector512<T> v = Vector512.Load(x + i), l = Vector512.Load(lo + i), h = Vector512.Load(hi + i);
            Vector512.ConditionalSelect(Vector512.LessThan(v, l), l, Vector512.ConditionalSelect(Vector512.GreaterThan(v, h), h, v)).Store(y + i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Run256(T* x, T* y, int n)
    {
        T* lo = _bounds.Pointer, hi = _bounds.Pointer + _tile;
        int i = 0;
        for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            Vector256<T> v = Vector256.Load(x + i), l = Vector256.Load(lo + i), h = Vector256.Load(hi + i);
            Vector256.ConditionalSelect(Vector256.LessThan(v, l), l, Vector256.ConditionalSelect(Vector256.GreaterThan(v, h), h, v)).Store(y + i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Run128(T* x, T* y, int n)
    {
        T* lo = _bounds.Pointer, hi = _bounds.Pointer + _tile;
        int i = 0;
        for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
        {
            Vector128<T> v = Vector128.Load(x + i), l = Vector128.Load(lo + i), h = Vector128.Load(hi + i);
            Vector128.ConditionalSelect(Vector128.LessThan(v, l), l, Vector128.ConditionalSelect(Vector128.GreaterThan(v, h), h, v)).Store(y + i);
        }

        return i;
    }
}
