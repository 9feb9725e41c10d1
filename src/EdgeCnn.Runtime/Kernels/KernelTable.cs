using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The one list of kernels. Plan chooses from it once per node (<see cref="Choose{TPlan}"/>); tests enumerate it to check
/// every row against the reference; benchmarks enumerate it to time every row. Each family of kernels registers its rows in
/// its own file (KernelTable.Family.cs) through a partial method, like OpRegistry, so that adding a kernel touches only its
/// family's file. See KERNELS.md for the naming grammar and how to add a row.
/// </summary>
public static partial class KernelTable
{
    private static readonly KernelInfo[] s_all = Build();

    /// <summary>Every row, reference and optimized, in registration order.</summary>
    public static IReadOnlyList<KernelInfo> All => s_all;

    /// <summary>The rows of one operator and element type, best first (by priority).</summary>
    public static IEnumerable<KernelInfo> For(OpCode op, DataType type) =>
        s_all.Where(k => k.Op == op && k.Type == type).OrderByDescending(k => k.Priority);

    public static KernelInfo Find(string name) =>
        Array.Find(s_all, k => string.Equals(k.Name, name, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"no kernel named '{name}' in the kernel table");

    /// <summary>
    /// The kernel for one node: the highest-priority row of (op, type, plan family) that accepts the plan and may run here.
    /// Without a filter a row may run when its ISA is supported (accelerated); with <see cref="SessionOptions.KernelFilter"/>
    /// only rows the filter passes are considered, and a portable row that is not accelerated here may be forced (it runs
    /// emulated: correct, slow). The reference row of the family accepts every valid node and is the last resort even when
    /// the filter excludes it. Called at Plan only.
    /// </summary>
    internal static KernelEntry<TPlan> Choose<TPlan>(OpCode op, DataType type, TPlan plan, SessionOptions options)
    {
        KernelEntry<TPlan>? best = null, reference = null;
        foreach (KernelInfo info in s_all)
        {
            if (info.Op != op || info.Type != type || info is not KernelEntry<TPlan> entry)
            {
                continue;
            }

            if (entry.IsReference)
            {
                reference ??= entry;
            }

            bool allowed = options.KernelFilter is { } filter ? filter(entry) && entry.CanExecute : entry.IsSupported;
            if (allowed && (best is null || entry.Priority > best.Priority) && entry.Accepts(plan))
            {
                best = entry;
            }
        }

        return best ?? reference ?? throw new InvalidOperationException($"the kernel table has no {type.Name()} {op} kernel");
    }

    /// <summary>
    /// The best optimized row for a node, or null when none accepts it here: for ops whose reference kernel the operator
    /// builds itself (its row in the table is information only). Same rules as <see cref="Choose{TPlan}"/>.
    /// </summary>
    internal static KernelEntry<TPlan>? ChooseOptimized<TPlan>(OpCode op, DataType type, TPlan plan, SessionOptions options)
    {
        KernelEntry<TPlan>? best = null;
        foreach (KernelInfo info in s_all)
        {
            if (info.Op != op || info.Type != type || info is not KernelEntry<TPlan> entry || entry.IsReference)
            {
                continue;
            }

            bool allowed = options.KernelFilter is { } filter ? filter(entry) && entry.CanExecute : entry.IsSupported;
            if (allowed && (best is null || entry.Priority > best.Priority) && entry.Accepts(plan))
            {
                best = entry;
            }
        }

        return best;
    }

    private static KernelInfo[] Build()
    {
        var list = new List<KernelInfo>();
        RegisterReference(list);
        RegisterF32(list);
        RegisterS8(list);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (KernelInfo k in list)
        {
            if (!names.Add(k.Name + "/" + k.Op))
            {
                throw new InvalidOperationException($"kernel '{k.Name}' is registered twice for {k.Op}");
            }
        }

        return list.ToArray();
    }

    /// <summary>The reference kernels (Kernels/Reference): the spec, priority 0, ISA None.</summary>
    static partial void RegisterReference(List<KernelInfo> kernels);

    /// <summary>Optimized fp32 kernels.</summary>
    static partial void RegisterF32(List<KernelInfo> kernels);

    /// <summary>Optimized int8 kernels.</summary>
    static partial void RegisterS8(List<KernelInfo> kernels);
}
