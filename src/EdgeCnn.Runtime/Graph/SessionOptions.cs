using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Runtime.Graph;

/// <summary>Limits and choices for planning a session.</summary>
public sealed class SessionOptions
{
    public static SessionOptions Default { get; } = new();

    /// <summary>
    /// The most bytes the arena may take. A model (or a hostile file) that needs more is refused at Plan with a clear
    /// error instead of exhausting a small device's memory. 1 GiB by default; a Pi 4 has 1 to 8 GiB in all.
    /// </summary>
    public long MaxArenaBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Threads a Run uses, the caller's included (1 by default: Run stays on the calling thread). With more, Plan starts
    /// Threads - 1 worker threads that the session keeps until it is disposed; kernels split their output tiles among them.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Restricts which kernel-table rows Plan may choose (tests and benchmarks force one kernel this way). Null: every row
    /// whose ISA is supported here. With a filter, a portable row that is not accelerated here may be chosen (it runs
    /// emulated: correct, slow). A node no passing row accepts runs its reference kernel.
    /// </summary>
    public Func<KernelInfo, bool>? KernelFilter { get; init; }

    /// <summary>Options that allow only the named kernels (and the reference fallback).</summary>
    public static SessionOptions Only(params string[] kernelNames)
    {
        var names = new HashSet<string>(kernelNames, StringComparer.Ordinal);
        return new SessionOptions { KernelFilter = k => names.Contains(k.Name) };
    }

    /// <summary>Options that allow only the reference kernels: the spec, to compare an optimized session with.</summary>
    public static SessionOptions ReferenceOnly { get; } = new() { KernelFilter = k => k.IsReference };
}
