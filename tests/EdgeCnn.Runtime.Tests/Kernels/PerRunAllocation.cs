using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Asserts that an action allocates nothing per run, on this thread (AllocationAssert.NoAllocations: the fewest bytes over up
/// to three windows must be 0) or by another counter (the worker threads'), with the same rule.
/// </summary>
internal static class PerRunAllocation
{
    public static void AssertNone(Action action, int runs, string what) => AllocationAssert.NoAllocations(action, runs, what);

    /// <summary>The same over a counter read before and after each window (e.g. the worker threads' allocations).</summary>
    public static void AssertNone(Action action, Func<long> counter, int runs, string what)
    {
        var windows = new long[3];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = counter();
            for (int i = 0; i < runs; i++)
            {
                action();
            }

            windows[w] = counter() - before;
            if (windows[w] == 0)
            {
                return;
            }
        }

        Assert.Fail($"{what}: bytes allocated in three windows of {runs} runs: {string.Join(", ", windows)}");
    }
}
