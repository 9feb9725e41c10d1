namespace EdgeCnn.Runtime.Memory;

/// <summary>
/// Places buffers in one arena by lifetime: each block at the lowest offset that does not collide with a block live at the
/// same time (first fit, as TFLite Micro's GreedyMemoryPlanner), under several placement orders. Offsets are 64-byte aligned.
/// </summary>
public static class ArenaPlanner
{
    public const int Alignment = 64;

    public static long AlignUp(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;

    /// <summary>
    /// Returns each request's offset and the arena size. First-fit placement depends on the order blocks are placed in, and
    /// no single order wins on every graph (size-first leaves holes when a long-lived skip tensor lands above short-lived
    /// ones; start-first wastes space on fan-in), so a few orders are tried and the smallest arena is kept. Planning is
    /// O(orders * n^2) once, at Plan.
    /// </summary>
    public static (long[] Offsets, long TotalBytes) Plan(IReadOnlyList<BufferRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        Comparison<int>[] orders =
        [
            (a, b) => Then(AlignUp(requests[b].Bytes).CompareTo(AlignUp(requests[a].Bytes)), a, b),
            (a, b) => Then(requests[a].FirstStep.CompareTo(requests[b].FirstStep), a, b),
            (a, b) => Then(Length(requests[b]).CompareTo(Length(requests[a])), a, b),
            (a, b) => Then((AlignUp(requests[b].Bytes) * Length(requests[b])).CompareTo(AlignUp(requests[a].Bytes) * Length(requests[a])), a, b),
        ];
        (long[] Offsets, long Total) best = ([], long.MaxValue);
        foreach (Comparison<int> order in orders)
        {
            (long[] offsets, long total) = FirstFit(requests, order);
            if (total < best.Total)
            {
                best = (offsets, total);
            }
        }

        return requests.Count == 0 ? ([], 0) : best;
    }

    private static int Then(int c, int a, int b) => c != 0 ? c : a.CompareTo(b);

    private static long Length(BufferRequest r) => (long)r.LastStep - r.FirstStep + 1;

    /// <summary>Places blocks in the given order, each at the lowest offset free of blocks live at the same time.</summary>
    private static (long[] Offsets, long TotalBytes) FirstFit(IReadOnlyList<BufferRequest> requests, Comparison<int> order)
    {
        int n = requests.Count;
        var sequence = new int[n];
        for (int i = 0; i < n; i++)
        {
            sequence[i] = i;
        }

        Array.Sort(sequence, order);
        var offsets = new long[n];
        var placed = new List<int>(n);
        var overlapping = new List<(long Start, long End)>(n);
        long total = 0;
        foreach (int i in sequence)
        {
            long size = AlignUp(requests[i].Bytes);
            overlapping.Clear();
            foreach (int j in placed)
            {
                if (requests[i].OverlapsInTime(requests[j]))
                {
                    overlapping.Add((offsets[j], offsets[j] + AlignUp(requests[j].Bytes)));
                }
            }

            overlapping.Sort((a, b) => a.Start.CompareTo(b.Start));
            long candidate = 0;
            foreach ((long start, long end) in overlapping)
            {
                if (candidate + size <= start)
                {
                    break;
                }

                candidate = Math.Max(candidate, end);
            }

            offsets[i] = candidate;
            placed.Add(i);
            total = Math.Max(total, candidate + size);
        }

        return (offsets, total);
    }

    /// <summary>The largest total of (aligned) bytes live at any one step: no placement can use less.</summary>
    public static long LowerBound(IReadOnlyList<BufferRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return 0;
        }

        int first = requests.Min(r => r.FirstStep);
        int last = requests.Max(r => r.LastStep);
        long best = 0;
        for (int step = first; step <= last; step++)
        {
            long live = 0;
            foreach (BufferRequest r in requests)
            {
                if (r.FirstStep <= step && step <= r.LastStep)
                {
                    live += AlignUp(r.Bytes);
                }
            }

            best = Math.Max(best, live);
        }

        return best;
    }
}
