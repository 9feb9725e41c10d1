using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// int8 convolution / Dense as packed GEMM on operands widened to int16 (see <see cref="S8ConvGemm{TKernel}"/> for the
/// GEMM mapping and the work items). The weights are widened at Plan (S8PackedWeightsI16); each Run first widens the
/// whole input once into a buffer owned by the kernel (2 bytes per input value, sized at Plan), so the microkernel's
/// activation broadcasts are plain memory broadcasts. Every activation is reused OG x taps / stride^2 times, so the
/// widening pass costs a small fraction of the GEMM on the layers this kernel is for. The indirection buffer (and the
/// padding row of z_x) point into the widened copy. A plain GEMM (1x1, Dense) with Kc up to <see cref="StackKc"/> widens
/// instead each work item's MR rows into a stack buffer just before its panels run: the rows are then read from L1, and
/// the layer makes no pass over a widened copy of its whole input (which for a 56x56x64 input is 400 KB, more than L2).
/// A work item is one block of MR rows against a chunk of column panels. When a group's panels together exceed
/// <see cref="PanelBudgetBytes"/>, they are split into chunks that fit L2 and the items of one chunk run one after another,
/// so each panel is read from L3 once and reused by every row block, not streamed again for each of them (ResNet-18's
/// layer4: 49 rows, K = 4,608, 4.7 MB of int16 weights, which were streamed 9 times per layer).
/// </summary>
internal sealed unsafe class S8ConvGemmI16<TKernel> : Kernel, IParallelWork, IS8GemmKernel
    where TKernel : struct, IS8GemmI16Microkernel
{
    private readonly string _name;
    private readonly sbyte* _x;      // [N, D, H, W, InC] (Dense: [rows, K])
    private readonly nint _xCount;
    private readonly short[]? _x16;  // _x widened, + 2 readable values past the end (odd Kc reads a pair), pinned; null when rows go on the stack
    private readonly short[] _zero;  // [Kc2] of z_x, pinned
    private readonly nint[]? _rows;  // [blocks][taps][MR] pointers into _x16 or _zero; null for plain GEMM, pinned
    private readonly nint _lda;      // InC
    private readonly sbyte* _y;      // [M, OutC]
    private readonly nint _ldc;      // OutC
    private readonly int _m, _group, _groupOutC, _kc, _taps, _blocks;
    private readonly int _chunkPanels, _chunks; // column panels per work item; chunks per group
    private readonly S8PackedWeightsI16 _weights;
    private readonly S8RequantParams _requant;
    private readonly S8RequantShape _shape;
    private readonly WorkerPool? _pool;

    public S8ConvGemmI16(string name, ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        if (g.TileD * g.TileH * g.TileW != 1 || g.BiasPerTile)
        {
            throw new ArgumentException("untied weight sets (tiled / locally connected) are not a GEMM", nameof(plan));
        }

        _name = name;
        _x = (sbyte*)plan.Tensors.X;
        _xCount = plan.Tensors.XCount;
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
        _weights = new S8PackedWeightsI16(new ReadOnlySpan<sbyte>(plan.Tensors.W, plan.Tensors.WCount),
            new ReadOnlySpan<int>(plan.Tensors.Bias, plan.Tensors.BiasCount), _group, _groupOutC, _taps, _kc, TKernel.Nr,
            requant.InputZeroPoint);
        _requant = new S8RequantParams(requant, g.OutC);
        long panelBytes = (long)_weights.PanelValues * sizeof(short);
        _chunkPanels = (int)Math.Clamp(PanelBudgetBytes / Math.Max(panelBytes, 1), 1, _weights.Panels);
        _chunks = (_weights.Panels + _chunkPanels - 1) / _chunkPanels;
        _shape = S8RequantShapes.Of(requant, g.OutC);
        _zero = GC.AllocateArray<short>(_weights.Kc2, pinned: true);
        _zero.AsSpan().Fill((short)requant.InputZeroPoint);
        bool plain = S8GemmGeometry.IsPointwise(g);
        if (!plain || _weights.Kc2 > StackKc)
        {
            _x16 = GC.AllocateArray<short>(checked((int)_xCount + 2), pinned: true);
        }

        if (!plain)
        {
            // The int8 indirection buffer, rebased: same offsets, in int16 elements.
            var bytes = new S8Indirection(_x, g, TKernel.Mr, requant.InputZeroPoint);
            _rows = GC.AllocateArray<nint>(checked(bytes.Blocks * bytes.Taps * TKernel.Mr), pinned: true);
            sbyte** src = bytes.Block(0);
            for (int i = 0; i < _rows.Length; i++)
            {
                _rows[i] = src[i] == bytes.Zero ? (nint)Zero : (nint)(X16 + (src[i] - _x));
            }
        }

        _pool = plan.Pool;
    }

    /// <summary>
    /// Fewest output channels per group the row accepts: with 8 or fewer, half or more of the 16-column tile is zero
    /// columns, and the 4x8c4 tile measured faster (grouped 3x3 28x28x64->64, 8 per group: 0.131 against 0.163 ms;
    /// 16 per group: 0.198 against 0.126 ms, s8fraction, bench/results/kernels-s8-2026-11-21.md).
    /// </summary>
    public const int MinGroupOutC = 9;

    /// <summary>
    /// Most weight bytes one work item's column panels may span (a quarter of a 512 KB L2, so the chunk, the rows and the
    /// output stay in L2 together); a group whose panels fit runs them all in one item, as before chunking existed.
    /// </summary>
    public const long PanelBudgetBytes = 128 * 1024;

    /// <summary>Largest Kc whose MR widened rows a plain GEMM work item keeps on the stack (6 rows: 24 KB).</summary>
    public const int StackKc = 2048;

    public override string Name => _name;

    /// <summary>The plans this kernel takes: a GEMM (no untied weights) with more than 8 output channels per group.</summary>
    public static bool Accepts(ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.IsPlain && plan.Geometry.GroupOutC >= MinGroupOutC;
    }

    public bool IsPlainGemm => _rows is null;

    /// <summary>The whole input is widened once per Run (indirect convolution, or a plain GEMM with Kc above StackKc).</summary>
    public bool WidensWholeInput => _x16 is not null;

    /// <summary>Column chunks per group: 1 when all of a group's panels fit <see cref="PanelBudgetBytes"/>.</summary>
    public int ColumnChunks => _chunks;

    public int WorkItems => _group * _chunks * _blocks;

    /// <summary>The requantization parts the epilogue runs for this layer.</summary>
    public S8RequantShape RequantShape => _shape;

    private short* X16 => _x16 is null ? null : (short*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_x16));

    private short* Zero => (short*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_zero));

    public override void Run()
    {
        if (_x16 is not null)
        {
            TKernel.Widen(_x, X16, _xCount);
        }

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

    [SkipLocalsInit]
    public void Execute(int item)
    {
        int mr = TKernel.Mr;
        int g = item / (_chunks * _blocks), rest = item % (_chunks * _blocks);
        int chunk = rest / _blocks, b = rest % _blocks; // a chunk's row blocks are consecutive items: its panels stay in L2
        int p0 = b * mr;
        S8GemmI16Call c = default;
        c.Zero = _rows is null ? null : Zero;
        c.AOffset = (nint)g * _kc;
        c.Taps = _taps;
        c.Kc2 = _weights.Kc2;
        c.CStride = _ldc;
        c.Mr = Math.Min(mr, _m - p0);
        short** rows = stackalloc short*[mr];
        if (_rows is null && _x16 is not null)
        {
            short* x16 = X16;
            for (int r = 0; r < mr; r++)
            {
                rows[r] = x16 + (Math.Min(p0 + r, _m - 1) * _lda); // rows past the end repeat the last: computed, not stored
            }

            c.A = rows;
        }
        else if (_rows is null)
        {
            // The group's Kc values of each row, widened here, rows Kc2 apart (an odd Kc's pair ends on a zero).
            int kc2 = _weights.Kc2;
            short* block = stackalloc short[mr * kc2];
            for (int r = 0; r < mr; r++)
            {
                short* row = block + (r * kc2);
                TKernel.Widen(_x + (Math.Min(p0 + r, _m - 1) * _lda) + c.AOffset, row, _kc);
                if (kc2 != _kc)
                {
                    row[_kc] = 0;
                }

                rows[r] = row;
            }

            c.AOffset = 0;
            c.A = rows;
        }
        else
        {
            c.A = (short**)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_rows)) + ((long)b * _taps * mr);
        }

        int j0 = chunk * _chunkPanels, n0 = j0 * _weights.Nr;
        c.W = _weights.Panel(g, j0);
        c.Bias = _weights.Bias(g, j0);
        c.C = _y + (p0 * _ldc) + (g * _groupOutC) + n0;
        c.Nc = Math.Min(_chunkPanels * _weights.Nr, _groupOutC - n0);
        c.Q = _requant.At((g * _groupOutC) + n0);
        c.Shape = _shape;
        TKernel.Run(ref c);
    }
}
