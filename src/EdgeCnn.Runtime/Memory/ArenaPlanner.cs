namespace EdgeCnn.Runtime.Memory;

/// <summary>
/// Places buffers in one arena by lifetime: greedy by size, each block at the lowest offset that does not collide with a
/// block live at the same time (the strategy of TFLite Micro's GreedyMemoryPlanner). Offsets are 64-byte aligned.
/// </summary>
public static class ArenaPlanner
{
    public const int Alignment = 64;

    public static long AlignUp(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;

    /// <summary>Returns each request's offset and the arena size.</summary>
    public static (long[] Offsets, long TotalBytes) Plan(IReadOnlyList<BufferRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        int n = requests.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        // Largest first; ties by earlier start so results are deterministic.
        Array.Sort(order, (a, b) =>
        {
            int c = AlignUp(requests[b].Bytes).CompareTo(AlignUp(requests[a].Bytes));
            return c != 0 ? c : a.CompareTo(b);
        });

        var offsets = new long[n];
        var placed = new List<int>(n);
        var overlapping = new List<(long Start, long End)>(n);
        long total = 0;
        foreach (int i in order)
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
