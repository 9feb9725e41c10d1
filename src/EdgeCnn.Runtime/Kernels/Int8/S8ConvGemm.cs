using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// int8 convolution (any rank, stride, dilation, padding, groups) and Dense (a 1x1 convolution over rows) as packed GEMM
/// on one microkernel: M = output pixels, N = output channels of a group, K = taps x input channels of a group.
/// Everything is prepared at Plan: weights packed into the kernel's panels with the folded bias, the requantization rows,
/// and, for a convolution whose rows are not simply the input's pixels, the indirection buffer. A 1x1 convolution with
/// unit strides and no padding, and Dense, are plain GEMM: row r of A is x + r * InC, computed on the fly.
/// Work items are (group, block of MR pixels); an item runs every panel of its block, so the block's rows stay in L1
/// while the panels stream from L2. With a worker pool the items spread over its threads.
/// </summary>
internal sealed unsafe class S8ConvGemm<TKernel> : Kernel, IParallelWork, IS8GemmKernel
    where TKernel : struct, IS8GemmMicrokernel
{
    private readonly string _name;
    private readonly sbyte* _x;   // [N, D, H, W, InC] (Dense: [rows, K])
    private readonly nint _lda;   // InC: bytes between pixels of x (plain GEMM)
    private readonly sbyte* _y;   // [M, OutC]
    private readonly nint _ldc;   // OutC
    private readonly int _m, _group, _groupOutC, _kc, _taps, _blocks;
    private readonly S8PackedWeights _weights;
    private readonly S8RequantParams _requant;
    private readonly S8Indirection? _indirection; // null for plain GEMM
    private readonly WorkerPool? _pool;

    public S8ConvGemm(string name, ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        if (g.TileD * g.TileH * g.TileW != 1 || g.BiasPerTile)
        {
            throw new ArgumentException("untied weight sets (tiled / locally connected) are not a GEMM", nameof(plan));
        }

        _name = name;
        _x = (sbyte*)plan.Tensors.X;
        _y = (sbyte*)plan.Tensors.Y;
        _lda = g.InC;
        _ldc = g.OutC;
        _m = checked(g.Batch * g.OutD * g.OutH * g.OutW);
        _group = g.Group;
        _groupOutC = g.GroupOutC;
        _kc = g.GroupInC;
        _taps = g.KD * g.KH * g.KW;
        _blocks = (_m + TKernel.Mr - 1) / TKernel.Mr;
        Int8Requant requant = plan.Requant;
        _weights = new S8PackedWeights(new ReadOnlySpan<sbyte>(plan.Tensors.W, plan.Tensors.WCount),
            new ReadOnlySpan<int>(plan.Tensors.Bias, plan.Tensors.BiasCount), _group, _groupOutC, _taps, _kc, TKernel.Nr,
            requant.InputZeroPoint, TKernel.ActivationShift);
        _requant = new S8RequantParams(requant, g.OutC);
        if (!IsPointwise(g))
        {
            _indirection = new S8Indirection(_x, g, TKernel.Mr, requant.InputZeroPoint);
        }

        _pool = plan.Pool;
    }

    public override string Name => _name;

    /// <summary>Rows of A are the input's pixels as they lie (no indirection buffer).</summary>
    public bool IsPlainGemm => _indirection is null;

    /// <summary>Work items: groups x blocks of MR pixels.</summary>
    public int WorkItems => _group * _blocks;

    /// <summary>A 1x1 kernel with unit strides and no padding reads pixel p for output p: plain GEMM.</summary>
    public static bool IsPointwise(ConvGeometry g) => S8GemmGeometry.IsPointwise(g);

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
        int mr = TKernel.Mr, nr = TKernel.Nr;
        int g = item / _blocks, b = item % _blocks;
        int p0 = b * mr;
        S8GemmCall c = default;
        c.Zero = _indirection is null ? null : _indirection.Zero;
        c.AOffset = (nint)g * _kc;
        c.Taps = _taps;
        c.Kc = _kc;
        c.CStride = _ldc;
        c.Mr = Math.Min(mr, _m - p0);
        sbyte** rows = stackalloc sbyte*[mr];
        if (_indirection is null)
        {
            for (int r = 0; r < mr; r++)
            {
                rows[r] = _x + (Math.Min(p0 + r, _m - 1) * _lda); // rows past the end repeat the last: computed, not stored
            }

            c.A = rows;
        }
        else
        {
            c.A = _indirection.Block(b);
        }

        sbyte* yBlock = _y + (p0 * _ldc) + (g * _groupOutC);
        for (int j = 0, panels = _weights.Panels; j < panels; j++)
        {
            int n0 = j * nr;
            c.W = _weights.Panel(g, j);
            c.Bias = _weights.Bias(g, j);
            c.C = yBlock + n0;
            c.Nc = Math.Min(nr, _groupOutC - n0);
            c.Q = _requant.At((g * _groupOutC) + n0);
            TKernel.Run(ref c);
        }
    }
}

/// <summary>Geometry questions shared by the int8 GEMM drivers.</summary>
internal static class S8GemmGeometry
{
    /// <summary>A 1x1 kernel with unit strides and no padding reads pixel p for output p: plain GEMM.</summary>
    public static bool IsPointwise(ConvGeometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return g.KD * g.KH * g.KW == 1 && g.StrideD == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadD == 0 && g.PadH == 0 && g.PadW == 0 &&
            g.OutD == g.InD && g.OutH == g.InH && g.OutW == g.InW;
    }
}

/// <summary>What tests and tools may ask of a planned int8 GEMM kernel whatever its microkernel.</summary>
internal interface IS8GemmKernel
{
    /// <summary>Rows of A are the input's pixels as they lie (no indirection buffer).</summary>
    bool IsPlainGemm { get; }
}
