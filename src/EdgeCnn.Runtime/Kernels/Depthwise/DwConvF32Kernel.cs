using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Gemm;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Depthwise;

/// <summary>
/// fp32 depthwise convolution (Group == InC == OutC), direct and channels last: per output pixel, each channel vector
/// accumulates its taps, read through the indirection buffer built at Plan (zero row for padding), so every stride, dilation
/// and padding runs the same loop. Work items are output rows (spread over the worker pool).
/// </summary>
internal sealed unsafe class DwConvF32Kernel<TMicro> : Kernel, IParallelWork
    where TMicro : IDwMicrokernelF32
{
    private readonly string _name;
    private readonly float* _y; // [N, out spatial..., C]
    private readonly PinnedBuffer<float> _packed; // [channel tiles][tile bias + ks * tile]
    private readonly PinnedBuffer<float> _zero; // [C] zeros
    private readonly PinnedBuffer<nint> _indirection; // [pixels][ks]
    private readonly int _channels, _ks, _width, _rows;
    private readonly float _min, _max;
    private readonly FusedActivationSpec _activation;
    private readonly VectorWidth _epilogueWidth;
    private readonly WorkerPool? _pool;

    public DwConvF32Kernel(string name, ConvF32Plan plan, VectorWidth epilogueWidth)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        _name = name;
        _y = (float*)plan.Tensors.Y;
        _channels = g.OutC;
        _ks = g.KD * g.KH * g.KW;
        _width = g.OutW;
        _rows = g.Batch * g.OutD * g.OutH;
        int tile = TMicro.ChannelTile;
        _packed = new PinnedBuffer<float>(DwPacking.Floats(_channels, _ks, tile));
        DwPacking.Pack(new ReadOnlySpan<float>(plan.Tensors.W, plan.Tensors.WCount), new ReadOnlySpan<float>(plan.Tensors.Bias, plan.Tensors.BiasCount),
            _channels, _ks, tile, _packed.Span);
        _zero = new PinnedBuffer<float>(_channels);
        _indirection = Indirection.Build(g, (float*)plan.Tensors.X, _zero.Pointer, 1);
        _activation = plan.Activation;
        (_min, _max) = plan.Activation.ClampRange();
        _epilogueWidth = epilogueWidth;
        _pool = plan.Pool;
    }

    public override string Name => _name;

    public static bool Accepts(ConvF32Plan plan) =>
        plan.IsPlain && plan.IsDepthwise && (TMicro.FixedTaps == 0 || TMicro.FixedTaps == plan.Geometry.KD * plan.Geometry.KH * plan.Geometry.KW);

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
        long first = (long)item * _width;
        float* row = _y + (first * _channels);
        TMicro.Run(_width, _channels, _ks, (float**)(_indirection.Pointer + (first * _ks)), _packed.Pointer, row, _min, _max);
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
}
