using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// fp32 2-D convolution with few input channels (the 1- and 3-channel stems) as packed GEMM whose taps are whole kernel rows:
/// in NHWC the KW taps of one kernel row are KW * C contiguous floats once the input is padded, so Run first copies the input
/// into a buffer that carries the padding (zeroed once at Plan), and the microkernel then reduces ks = KH taps of
/// kc = KW * C (a 3x3 stem: 3 taps of 9 instead of 9 taps of 3, a 5x5 single-channel conv: 5 of 5 instead of 25 of 1), so
/// the per-tap pointer work and loop overhead that dominate a reduction of 1-3 channels are paid KW times less often.
/// The packed weights are the same as the plain GEMM's: [kh][kw][c] flattens identically either way.
/// </summary>
internal sealed unsafe class ConvGemmRowsF32Kernel<TMicro> : Kernel, IParallelWork
    where TMicro : IGemmMicrokernelF32
{
    private readonly string _name;
    private readonly float* _x; // [N, H, W, C]
    private readonly float* _y; // [N, OH, OW, OutC]
    private readonly PinnedBuffer<float> _padded; // [N, Hp, Wp, C]: the input inside its zero padding
    private readonly PinnedBuffer<float> _packed; // [column blocks][NR bias + KH * KW * C * NR]
    private readonly PinnedBuffer<float> _zero; // [kc] zeros: never pointed at, the microkernel's contract needs one
    private readonly PinnedBuffer<nint> _indirection; // [pixel tiles][KH][MR] row-tap pointers into _padded
    private readonly int _batch, _inH, _inW, _c, _padH, _padW, _hp, _wp;
    private readonly int _pixels, _outC, _kc, _ks, _tiles;
    private readonly float _min, _max;
    private readonly FusedActivationSpec _activation;
    private readonly VectorWidth _epilogueWidth;
    private readonly WorkerPool? _pool;

    public ConvGemmRowsF32Kernel(string name, ConvF32Plan plan, VectorWidth epilogueWidth)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        _name = name;
        _x = (float*)plan.Tensors.X;
        _y = (float*)plan.Tensors.Y;
        (_batch, _inH, _inW, _c, _padH, _padW) = (g.Batch, g.InH, g.InW, g.InC, g.PadH, g.PadW);
        _hp = Math.Max(g.PadH + g.InH, ((g.OutH - 1) * g.StrideH) + ((g.KH - 1) * g.DilationH) + 1);
        _wp = Math.Max(g.PadW + g.InW, ((g.OutW - 1) * g.StrideW) + g.KW);
        _pixels = g.Batch * g.OutH * g.OutW;
        _outC = g.OutC;
        _kc = g.KW * g.InC;
        _ks = g.KH;
        int mr = TMicro.MR, nr = TMicro.NR;
        _tiles = Indirection.TileCount(_pixels, mr);
        _packed = new PinnedBuffer<float>(GemmPacking.GroupFloats(_outC, g.KH * g.KW, g.InC, nr));
        GemmPacking.Pack(new ReadOnlySpan<float>(plan.Tensors.W, plan.Tensors.WCount), new ReadOnlySpan<float>(plan.Tensors.Bias, plan.Tensors.BiasCount),
            1, _outC, g.KH * g.KW, g.InC, nr, _packed.Span);
        _padded = new PinnedBuffer<float>((long)g.Batch * _hp * _wp * _c);
        _zero = new PinnedBuffer<float>(_kc);
        _indirection = new PinnedBuffer<nint>((long)_tiles * _ks * mr);
        nint* p = _indirection.Pointer;
        for (int tile = 0; tile < _tiles; tile++)
        {
            for (int r = 0; r < mr; r++)
            {
                int m = Math.Min((tile * mr) + r, _pixels - 1);
                int ow = m % g.OutW, rest = m / g.OutW;
                int oh = rest % g.OutH, n = rest / g.OutH;
                for (int kh = 0; kh < _ks; kh++)
                {
                    long row = ((long)n * _hp) + (oh * g.StrideH) + (kh * g.DilationH);
                    p[(((long)tile * _ks) + kh) * mr + r] = (nint)(_padded.Pointer + (((row * _wp) + ((long)ow * g.StrideW)) * _c));
                }
            }
        }

        _activation = plan.Activation;
        (_min, _max) = plan.Activation.ClampRange();
        _epilogueWidth = epilogueWidth;
        _pool = plan.Pool;
    }

    public override string Name => _name;

    /// <summary>
    /// Plain 2-D convolutions (one group, no horizontal dilation: a row's taps must be contiguous) whose window is at least
    /// twice as wide as the channels: measured (bench/results/2026-11-21-kernels-f32-fast.md) 2x faster on a 1-channel 5x5,
    /// 3% on a 3-channel 7x7, and 3% slower on a 3-channel 3x3, where the taps of 3 already keep the FMAs 77% busy and the
    /// copy into the padded buffer costs more than the shorter tap loop saves.
    /// </summary>
    public static bool Accepts(ConvF32Plan plan)
    {
        ConvGeometry g = plan.Geometry;
        return plan.IsPlain && g.Group == 1 && 2 * g.InC <= g.KW && g.DilationW == 1
            && g.KD == 1 && g.InD == 1 && g.OutD == 1 && g.PadD == 0;
    }

    public override void Run()
    {
        // The input into the padded buffer, row by row; the padding was zeroed at Plan and is never written.
        long rowFloats = (long)_inW * _c;
        for (int n = 0; n < _batch; n++)
        {
            for (int ih = 0; ih < _inH; ih++)
            {
                float* src = _x + ((((long)n * _inH) + ih) * rowFloats);
                float* dst = _padded.Pointer + ((((((long)n * _hp) + ih + _padH) * _wp) + _padW) * _c);
                new ReadOnlySpan<float>(src, (int)rowFloats).CopyTo(new Span<float>(dst, (int)rowFloats));
            }
        }

        if (_pool is null)
        {
            for (int t = 0; t < _tiles; t++)
            {
                Execute(t);
            }
        }
        else
        {
            _pool.For(this, _tiles);
        }
    }

    public void Execute(int item)
    {
        int m0 = item * TMicro.MR;
        int rows = Math.Min(TMicro.MR, _pixels - m0);
        float** a = (float**)(_indirection.Pointer + ((long)item * _ks * TMicro.MR));
        float* c = _y + ((long)m0 * _outC);
        TMicro.Run(rows, _outC, _kc, _ks, a, 0, _zero.Pointer, _packed.Pointer, c, _outC, _min, _max);
        switch (_activation.Kind)
        {
            case FusedActivation.LeakyRelu:
                for (int r = 0; r < rows; r++)
                {
                    VectorUnaryDriver.Apply(c + ((long)r * _outC), c + ((long)r * _outC), _outC, new LeakyReluVector(_activation.Alpha), _epilogueWidth);
                }

                break;
            case FusedActivation.HardSwish:
                for (int r = 0; r < rows; r++)
                {
                    VectorUnaryDriver.Apply(c + ((long)r * _outC), c + ((long)r * _outC), _outC, default(HardSwishVector), _epilogueWidth);
                }

                break;
        }
    }
}
