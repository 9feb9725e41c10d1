using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Gemm;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>
/// fp32 3x3 depthwise convolution (any stride, dilation, padding) whose interior runs are addressed directly: per output row,
/// the pixels whose 9 taps all lie inside the input go to <typeparamref name="TRows"/> with three input row pointers, the
/// others (left and right borders, and whole rows that reach into the top or bottom padding) to the indirect microkernel
/// <typeparamref name="TEdge"/> through the indirection buffer built at Plan, as <see cref="DwConvF32Kernel{TMicro}"/> does. Both
/// read the same packed tiles. Work items are output rows (spread over the worker pool).
/// </summary>
internal sealed unsafe class DwConv3x3RowsF32Kernel<TRows, TEdge> : Kernel, IParallelWork
    where TRows : IDwRowMicrokernelF32
    where TEdge : IDwMicrokernelF32
{
    private readonly string _name;
    private readonly float* _x; // [N, D, H, W, C]
    private readonly float* _y; // [N, OD, OH, OW, C]
    private readonly PinnedBuffer<float> _packed; // [channel tiles][tile bias + 9 * tile]
    private readonly PinnedBuffer<float> _zero; // [C] zeros
    private readonly PinnedBuffer<nint> _indirection; // [pixels][9], read for border pixels only
    private readonly int _channels, _width, _rows, _outH, _outD;
    private readonly int _inW, _inH, _inD, _strideH, _strideD, _padH, _padD, _dilationH;
    private readonly int _interiorFirst, _interiorCount; // output columns whose 3 horizontal taps lie inside the input
    private readonly nint _tapStep, _pixelStep, _columnStart; // elements
    private readonly int _segment; // interior pixels per microkernel call: their input window stays in L1 across channel tiles
    private readonly float _min, _max;
    private readonly FusedActivationSpec _activation;
    private readonly VectorWidth _epilogueWidth;
    private readonly WorkerPool? _pool;

    public DwConv3x3RowsF32Kernel(string name, ConvF32Plan plan, VectorWidth epilogueWidth)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (TRows.ChannelTile != TEdge.ChannelTile)
        {
            throw new InvalidOperationException($"{name}: row tile {TRows.ChannelTile} and border tile {TEdge.ChannelTile} differ");
        }

        ConvGeometry g = plan.Geometry;
        _name = name;
        _x = (float*)plan.Tensors.X;
        _y = (float*)plan.Tensors.Y;
        _channels = g.OutC;
        _width = g.OutW;
        _outH = g.OutH;
        _outD = g.OutD;
        _rows = g.Batch * g.OutD * g.OutH;
        (_inW, _inH, _inD) = (g.InW, g.InH, g.InD);
        (_strideH, _strideD, _padH, _padD, _dilationH) = (g.StrideH, g.StrideD, g.PadH, g.PadD, g.DilationH);
        // Interior columns: ow * sw - pw >= 0 and ow * sw - pw + 2 * dw <= InW - 1.
        int first = (g.PadW + g.StrideW - 1) / g.StrideW;
        long lastStart = (long)g.InW - 1 - (2L * g.DilationW) + g.PadW;
        int last = lastStart < 0 ? -1 : (int)Math.Min(g.OutW - 1, lastStart / g.StrideW);
        _interiorFirst = Math.Min(first, g.OutW);
        _interiorCount = Math.Max(0, last - _interiorFirst + 1);
        _tapStep = (nint)g.DilationW * _channels;
        _pixelStep = (nint)g.StrideW * _channels;
        _columnStart = (((nint)_interiorFirst * g.StrideW) - g.PadW) * _channels;

        // The microkernel sweeps its run once per channel tile; a run whose 3 input rows fit in L1 (16 KiB of the 32) is
        // fetched from L2 once instead of once per pair of tiles (a 64-byte line holds two 8-channel tiles).
        long windowBytes = 3L * ((g.StrideW * 8L) + (2L * g.DilationW) + 1) * _channels * sizeof(float);
        _segment = (int)Math.Clamp(8 * (L1Budget / Math.Max(1, windowBytes)), 16, Math.Max(16, g.OutW));
        int tile = TRows.ChannelTile;
        _packed = new PinnedBuffer<float>(DwPacking.Floats(_channels, 9, tile));
        DwPacking.Pack(new ReadOnlySpan<float>(plan.Tensors.W, plan.Tensors.WCount), new ReadOnlySpan<float>(plan.Tensors.Bias, plan.Tensors.BiasCount),
            _channels, 9, tile, _packed.Span);
        _zero = new PinnedBuffer<float>(_channels);
        _indirection = Indirection.Build(g, _x, _zero.Pointer, 1);
        _activation = plan.Activation;
        (_min, _max) = plan.Activation.ClampRange();
        _epilogueWidth = epilogueWidth;
        _pool = plan.Pool;
    }

    private const long L1Budget = 16 * 1024;

    public override string Name => _name;

    public static bool Accepts(ConvF32Plan plan) =>
        plan.IsPlain && plan.IsDepthwise && plan.Geometry.KD == 1 && plan.Geometry.KH == 3 && plan.Geometry.KW == 3;

    public override void Run()
    {
        if (_pool is null)
        {
            for (int r = 0; r < _rows; r++)
            {
                Execute(r);
            }
        }
        else
        {
            _pool.For(this, _rows);
        }
    }

    public void Execute(int item)
    {
        long firstPixel = (long)item * _width;
        float* row = _y + (firstPixel * _channels);
        int oh = item % _outH, rest = item / _outH;
        int od = rest % _outD, n = rest / _outD;
        int id = (od * _strideD) - _padD;
        int ih = (oh * _strideH) - _padH;
        bool inside = (uint)id < (uint)_inD && ih >= 0 && ih + (2 * _dilationH) < _inH && _interiorCount > 0;
        if (!inside)
        {
            Border(firstPixel, _width, row);
        }
        else
        {
            Border(firstPixel, _interiorFirst, row);
            nint rowFloats = (nint)_inW * _channels;
            float* r0 = _x + ((((((long)n * _inD) + id) * _inH) + ih) * rowFloats) + _columnStart;
            float* r1 = r0 + (_dilationH * rowFloats);
            float* r2 = r1 + (_dilationH * rowFloats);
            float* y = row + ((long)_interiorFirst * _channels);
            for (int p = 0; p < _interiorCount; p += _segment)
            {
                nint offset = p * _pixelStep;
                TRows.Run(Math.Min(_segment, _interiorCount - p), _channels, r0 + offset, r1 + offset, r2 + offset, _tapStep, _pixelStep,
                    _packed.Pointer, y + ((long)p * _channels), _min, _max);
            }

            int end = _interiorFirst + _interiorCount;
            Border(firstPixel + end, _width - end, row + ((long)end * _channels));
        }

        long count = (long)_width * _channels;
        switch (_activation.Kind)
        {
            case FusedActivation.LeakyRelu:
                VectorUnaryDriver.Apply(row, row, (nint)count, new LeakyReluVector(_activation.Alpha), _epilogueWidth);
                break;
            case FusedActivation.HardSwish:
                VectorUnaryDriver.Apply(row, row, (nint)count, default(HardSwishVector), _epilogueWidth);
                break;
        }
    }

    private void Border(long firstPixel, int pixels, float* y)
    {
        if (pixels > 0)
        {
            TEdge.Run(pixels, _channels, 9, (float**)(_indirection.Pointer + (firstPixel * 9)), _packed.Pointer, y, _min, _max);
        }
    }
}
