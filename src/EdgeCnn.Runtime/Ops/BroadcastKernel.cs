using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// A planned binary element-wise node: pointers, the merged broadcast layout and the element operator (with its
/// requantization constants) all fixed at Plan. Run walks the output once.
/// </summary>
internal sealed unsafe class BroadcastKernel<TA, TB, TY, TOp> : Kernel
    where TA : unmanaged
    where TB : unmanaged
    where TY : unmanaged
    where TOp : struct, IBinaryOperator<TA, TB, TY>
{
    private readonly string _name;
    private readonly TA* _a;      // input 0, its own shape
    private readonly int _countA;
    private readonly TB* _b;      // input 1, its own shape
    private readonly int _countB;
    private readonly TY* _y;      // output, the broadcast shape; may be the same bytes as _a
    private readonly int _countY;
    private readonly int[] _shape;
    private readonly int[] _strideA;
    private readonly int[] _strideB;
    private readonly TOp _op;

    public BroadcastKernel(string name, TA* a, int countA, TB* b, int countB, TY* y, int countY, BroadcastLayout layout, TOp op,
        object? keepAlive = null)
    {
        KeepAlive = keepAlive;
        _name = name;
        _a = a;
        _countA = countA;
        _b = b;
        _countB = countB;
        _y = y;
        _countY = countY;
        (_shape, _strideA, _strideB) = (layout.Shape, layout.StrideA, layout.StrideB);
        _op = op;
    }

    public override string Name => _name;

    /// <summary>A pinned array _b points into (PRelu's dequantized int8 slope), else null: held so it lives as long as the kernel.</summary>
    public object? KeepAlive { get; }

    public override void Run() => BroadcastKernels.Run(new ReadOnlySpan<TA>(_a, _countA), new ReadOnlySpan<TB>(_b, _countB),
        new Span<TY>(_y, _countY), _shape, _strideA, _strideB, _op);
}
