using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// One row of the kernel table: what a kernel is (name per KERNELS.md), which operator and element type it serves, what it
/// needs of the CPU, its register tile, and how Plan ranks it. Public so that tests and benchmarks enumerate the same rows
/// Plan chooses from.
/// </summary>
public class KernelInfo
{
    public KernelInfo(string name, OpCode op, DataType type, IsaRequirement isa, int priority, int tileRows = 0, int tileColumns = 0)
    {
        Name = name;
        Op = op;
        Type = type;
        Isa = isa;
        Priority = priority;
        TileRows = tileRows;
        TileColumns = tileColumns;
    }

    /// <summary>Name following the KERNELS.md grammar, e.g. "f32-igemm-6x16-minmax-avx2".</summary>
    public string Name { get; }

    /// <summary>The operator this kernel runs (a kernel serving several, like GEMM for Conv and Dense, has one row per op).</summary>
    public OpCode Op { get; }

    /// <summary>Element type of the operator's input.</summary>
    public DataType Type { get; }

    public IsaRequirement Isa { get; }

    /// <summary>Higher wins among the supported rows that accept a node. Reference rows are 0.</summary>
    public int Priority { get; }

    /// <summary>Output rows (pixels) of the microkernel's register tile (MR); 0 when the kernel is not tiled.</summary>
    public int TileRows { get; }

    /// <summary>Output columns (channels) of the register tile (NR); 0 when the kernel is not tiled.</summary>
    public int TileColumns { get; }

    public bool IsReference => Isa == IsaRequirement.None && Name.EndsWith("-ref", StringComparison.Ordinal);

    /// <summary>Plan may choose this row by default on this CPU.</summary>
    public bool IsSupported => IsaSupport.IsSupported(Isa);

    /// <summary>This row can execute here (accelerated or emulated): a test or benchmark may force it.</summary>
    public bool CanExecute => IsaSupport.CanExecute(Isa);

    public override string ToString() => Name;
}

/// <summary>
/// A table row Plan can build a kernel from: <typeparamref name="TPlan"/> is the op family's plan (tensors, geometry, fused
/// activation, constants) that every kernel of the family receives. Accepts says whether this kernel handles that node
/// (e.g. a 3x3 depthwise kernel refuses a 5x5 one); Create packs weights and builds the kernel.
/// </summary>
internal sealed class KernelEntry<TPlan>(string name, OpCode op, DataType type, IsaRequirement isa, int priority,
    Func<TPlan, bool> accepts, Func<TPlan, KernelInfo, Ops.Kernel> create, int tileRows = 0, int tileColumns = 0)
    : KernelInfo(name, op, type, isa, priority, tileRows, tileColumns)
{
    public bool Accepts(TPlan plan) => accepts(plan);

    public Ops.Kernel Create(TPlan plan) => create(plan, this);
}
