using System.Diagnostics;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Diagnostics;

/// <summary>
/// Times every node of <see cref="InferenceSession.Run{TObserver}(ref TObserver)"/> into a table made up front
/// ([runs x nodes] Stopwatch ticks), so timed runs allocate nothing. Call <see cref="BeginRun"/> before each run; read
/// each node's median afterwards with <see cref="MedianMs"/>. A struct: pass it by ref.
/// </summary>
public struct LayerTimer : IRunObserver
{
    private readonly long[] _ticks; // [runs x nodes]
    private int _row;
    private long _start;

    public LayerTimer(int nodes, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodes);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        Nodes = nodes;
        Runs = runs;
        _ticks = new long[checked(nodes * runs)];
    }

    public readonly int Nodes { get; }

    public readonly int Runs { get; }

    /// <summary>The next observed run is run <paramref name="run"/> (0 to Runs - 1).</summary>
    public void BeginRun(int run)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(run);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(run, Runs);
        _row = run * Nodes;
    }

    public void NodeStarting(int node) => _start = Stopwatch.GetTimestamp();

    public readonly void NodeFinished(int node) => _ticks[_row + node] = Stopwatch.GetTimestamp() - _start;

    /// <summary>Node <paramref name="node"/>'s time in run <paramref name="run"/>, in milliseconds.</summary>
    public readonly double Ms(int run, int node) => _ticks[(run * Nodes) + node] * 1e3 / Stopwatch.Frequency;

    /// <summary>The median of node <paramref name="node"/>'s times over all runs, in milliseconds.</summary>
    public readonly double MedianMs(int node)
    {
        double[] ms = new double[Runs];
        for (int r = 0; r < Runs; r++)
        {
            ms[r] = Ms(r, node);
        }

        Array.Sort(ms);
        return Percentiles.Of(ms, 50);
    }
}

/// <summary>Percentiles of timing samples.</summary>
public static class Percentiles
{
    /// <summary>
    /// The <paramref name="p"/>-th percentile of ascending <paramref name="sorted"/> samples with linear interpolation
    /// between closest ranks (numpy's default): rank p/100 x (n - 1). p = 50 is the median (the mean of the middle two
    /// for an even count).
    /// </summary>
    public static double Of(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("no samples", nameof(sorted));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(p);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 100);
        double rank = p / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((rank - lo) * (sorted[hi] - sorted[lo]));
    }

    /// <summary>Stopwatch ticks as ascending milliseconds.</summary>
    public static double[] SortedMs(ReadOnlySpan<long> ticks)
    {
        double[] ms = new double[ticks.Length];
        for (int i = 0; i < ticks.Length; i++)
        {
            ms[i] = ticks[i] * 1e3 / Stopwatch.Frequency;
        }

        Array.Sort(ms);
        return ms;
    }
}
