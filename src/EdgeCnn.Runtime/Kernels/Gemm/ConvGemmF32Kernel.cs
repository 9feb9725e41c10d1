using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// fp32 Conv (any rank, stride, dilation, padding, groups) and Dense as packed GEMM over one microkernel. Plan packs the
/// weights (and bias) into the microkernel's panels and, unless the convolution is a plain 1x1 (stride 1, no padding: a GEMM
/// over the input as it lies), builds the indirection buffer. Run splits the output into work items (group, column chunk,
/// tile of MR pixels) and runs the microkernel on each; with a worker pool the items spread over its threads.
/// Clamp activations (Relu, Relu6, Clip) are the microkernel's min/max; LeakyRelu and HardSwish run over each stored tile
/// while it is in L1.
/// </summary>
internal sealed unsafe class ConvGemmF32Kernel<TMicro> : Kernel, IParallelWork
    where TMicro : IGemmMicrokernelF32
{
    // Packed weights streamed per pixel tile stay within L2 when a column chunk holds at most this many bytes.
    private const long ChunkBytes = 192 * 1024;

    private readonly string _name;
    private readonly float* _x; // [N, spatial..., InC]
    private readonly float* _y; // [N, out spatial..., OutC]
    private readonly PinnedBuffer<float> _packed; // [groups][column blocks][NR bias + ks * kc * NR]
    private readonly PinnedBuffer<float> _zero; // [kc] zeros: what padding taps read
    private readonly PinnedBuffer<nint>? _indirection; // [pixel tiles][ks][MR] row pointers; null for a plain GEMM
    private readonly int _pixels, _inC, _outC, _groups, _outputsPerGroup, _kc, _ks;
    private readonly int _tiles, _chunkColumns, _chunks;
    private readonly long _groupFloats, _blockFloats;
    private readonly float _min, _max;
    private readonly FusedActivationSpec _activation;
    private readonly VectorWidth _epilogueWidth;
    private readonly WorkerPool? _pool;

    public ConvGemmF32Kernel(string name, ConvF32Plan plan, VectorWidth epilogueWidth)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        _name = name;
        _x = (float*)plan.Tensors.X;
        _y = (float*)plan.Tensors.Y;
        _pixels = g.Batch * g.OutD * g.OutH * g.OutW;
        _inC = g.InC;
        _outC = g.OutC;
        _groups = g.Group;
        _outputsPerGroup = g.GroupOutC;
        _kc = g.GroupInC;
        _ks = g.KD * g.KH * g.KW;
        int mr = TMicro.MR, nr = TMicro.NR;
        _tiles = Indirection.TileCount(_pixels, mr);
        _blockFloats = GemmPacking.BlockFloats(_ks, _kc, nr);
        _groupFloats = GemmPacking.GroupFloats(_outputsPerGroup, _ks, _kc, nr);
        int blocksPerChunk = (int)Math.Clamp(ChunkBytes / (_blockFloats * sizeof(float)), 1, GemmPacking.BlockCount(_outputsPerGroup, nr));
        _chunkColumns = blocksPerChunk * nr;
        _chunks = (_outputsPerGroup + _chunkColumns - 1) / _chunkColumns;

        _packed = new PinnedBuffer<float>(_groupFloats * _groups);
        GemmPacking.Pack(new ReadOnlySpan<float>(plan.Tensors.W, plan.Tensors.WCount), new ReadOnlySpan<float>(plan.Tensors.Bias, plan.Tensors.BiasCount),
            _groups, _outputsPerGroup, _ks, _kc, nr, _packed.Span);
        _zero = new PinnedBuffer<float>(Math.Max(_kc, 1));
        bool plainGemm = _ks == 1 && g.StrideD == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadD == 0 && g.PadH == 0 && g.PadW == 0
            && g.InD == g.OutD && g.InH == g.OutH && g.InW == g.OutW;
        _indirection = plainGemm ? null : Indirection.Build(g, _x, _zero.Pointer, mr);

        _activation = plan.Activation;
        (_min, _max) = plan.Activation.ClampRange();
        _epilogueWidth = epilogueWidth;
        _pool = plan.Pool;
    }

    public override string Name => _name;

    /// <summary>Work items: groups x column chunks x pixel tiles (tiles fastest, so consecutive items share weights).</summary>
    public int WorkItems => _groups * _chunks * _tiles;

    public override void Run()
    {
        if (_pool is null)
        {
            for (int i = 0, n = WorkItems; i < n; i++)
            {
                Execute(i);
            }
        }
        else
        {
            _pool.For(this, WorkItems);
        }
    }

    public void Execute(int item)
    {
        int mr = TMicro.MR;
        int tile = item % _tiles, rest = item / _tiles;
        int chunk = rest % _chunks, group = rest / _chunks;
        int m0 = tile * mr;
        int rows = Math.Min(mr, _pixels - m0);
        int n0 = chunk * _chunkColumns;
        int columns = Math.Min(_chunkColumns, _outputsPerGroup - n0);
        float** a;
        float** direct = stackalloc float*[mr];
        if (_indirection is null)
        {
            for (int r = 0; r < mr; r++)
            {
                direct[r] = _x + ((long)(m0 + Math.Min(r, rows - 1)) * _inC);
            }

            a = direct;
        }
        else
        {
            a = (float**)(_indirection.Pointer + ((long)tile * _ks * mr));
        }

        float* w = _packed.Pointer + (group * _groupFloats) + (n0 / TMicro.NR * _blockFloats);
        float* c = _y + ((long)m0 * _outC) + (group * _outputsPerGroup) + n0;
        TMicro.Run(rows, columns, _kc, _ks, a, group * _kc, _zero.Pointer, w, c, _outC, _min, _max);
        switch (_activation.Kind)
        {
            case FusedActivation.LeakyRelu:
                for (int r = 0; r < rows; r++)
                {
                    VectorUnaryDriver.Apply(c + ((long)r * _outC), c + ((long)r * _outC), columns, new LeakyReluVector(_activation.Alpha), _epilogueWidth);
                }

                break;
            case FusedActivation.HardSwish:
                for (int r = 0; r < rows; r++)
                {
                    VectorUnaryDriver.Apply(c + ((long)r * _outC), c + ((long)r * _outC), columns, default(HardSwishVector), _epilogueWidth);
                }

                break;
        }
    }
}
