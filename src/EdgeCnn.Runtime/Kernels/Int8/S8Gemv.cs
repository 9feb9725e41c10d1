using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Kernels.X86;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// int8 Dense, or a pointwise convolution, with one output row (M = 1: a batch-1 head) on <see cref="S8Gemv1x16c4Avx2"/>.
/// A GEMM tile computes MR rows per weight it loads, so with one row it streams the weights at 1/MR of its rate; here
/// each weight byte is loaded once, as int8, and meets one broadcast activation. Weights are packed at Plan into
/// 16-column int8 panels with the folded bias; each Run widens the row (Kc values per group) into a buffer owned by the
/// kernel, then runs the panels, split into work items of <see cref="PanelsPerItem"/> panels for a worker pool.
/// </summary>
internal sealed unsafe class S8Gemv : Kernel, IParallelWork
{
    /// <summary>Panels (16 columns each) per work item: 1024 output channels of a 512-deep head make 8 items.</summary>
    public const int PanelsPerItem = 8;

    private readonly string _name;
    private readonly sbyte* _x;      // [InC]
    private readonly sbyte* _y;      // [OutC]
    private readonly int _inC, _group, _groupOutC, _kc, _itemsPerGroup;
    private readonly short[] _x16;   // [Group][Kc4] widened row, zero past Kc, pinned
    private readonly S8PackedWeights _weights;
    private readonly S8RequantParams _requant;
    private readonly S8RequantShape _shape;
    private readonly WorkerPool? _pool;

    public S8Gemv(string name, ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!Accepts(plan))
        {
            throw new ArgumentException("a GEMV needs one output row of a pointwise layer", nameof(plan));
        }

        ConvGeometry g = plan.Geometry;
        _name = name;
        _x = (sbyte*)plan.Tensors.X;
        _y = (sbyte*)plan.Tensors.Y;
        _inC = g.InC;
        _group = g.Group;
        _groupOutC = g.GroupOutC;
        _kc = g.GroupInC;
        Int8Requant requant = plan.Requant;
        _weights = new S8PackedWeights(new ReadOnlySpan<sbyte>(plan.Tensors.W, plan.Tensors.WCount),
            new ReadOnlySpan<int>(plan.Tensors.Bias, plan.Tensors.BiasCount), _group, _groupOutC, 1, _kc, S8Gemv1x16c4Avx2.Nr,
            requant.InputZeroPoint, activationShift: 0);
        _itemsPerGroup = (_weights.Panels + PanelsPerItem - 1) / PanelsPerItem;
        _requant = new S8RequantParams(requant, g.OutC);
        _shape = S8RequantShapes.Of(requant, g.OutC);
        _x16 = GC.AllocateArray<short>(checked(_group * _weights.Kc4), pinned: true);
        _pool = plan.Pool;
    }

    public override string Name => _name;

    public int WorkItems => _group * _itemsPerGroup;

    /// <summary>One output row (every batch, spatial and tile extent 1) of a pointwise, untied layer.</summary>
    public static bool Accepts(ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        return plan.IsPlain && S8GemmGeometry.IsPointwise(g) && (long)g.Batch * g.OutD * g.OutH * g.OutW == 1;
    }

    private short* X16 => (short*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_x16));

    public override void Run()
    {
        int kc4 = _weights.Kc4;
        for (int g = 0; g < _group; g++)
        {
            S8Gemv1x16c4Avx2.Widen(_x + ((nint)g * _kc), X16 + ((nint)g * kc4), _kc); // past Kc stays 0 from Plan
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

    public void Execute(int item)
    {
        int g = item / _itemsPerGroup, j0 = item % _itemsPerGroup * PanelsPerItem;
        int n0 = j0 * S8Gemv1x16c4Avx2.Nr, nc = Math.Min(PanelsPerItem * S8Gemv1x16c4Avx2.Nr, _groupOutC - n0);
        int c0 = (g * _groupOutC) + n0;
        S8Gemv1x16c4Avx2.Run(X16 + ((nint)g * _weights.Kc4), _weights.Panel(g, j0), _weights.Kc4, _weights.Bias(g, j0), _y + c0, nc,
            _requant.At(c0), _shape);
    }
}
