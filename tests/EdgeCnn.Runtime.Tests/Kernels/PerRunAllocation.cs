using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Asserts that an action allocates nothing per run: the fewest bytes counted (GC.GetAllocatedBytesForCurrentThread) over
/// three windows of runs must be 0. Under the full, parallel test suite on .NET 10 a single window has occasionally counted a
/// few KB that no run made (seen once with a reference kernel that touches no thread pool: 5.6 KB in one window of 300 runs,
/// 0 in the next); an allocation made by every run, however small, shows in every window and still fails.
/// </summary>
internal static class PerRunAllocation
{
    public static void AssertNone(Action action, int runs, string what)
    {
        var windows = new long[3];
        for (int w = 0; w < windows.Length; w++)
        {
            windows[w] = AllocationAssert.BytesAllocated(action, runs);
            if (windows[w] == 0)
            {
                return;
            }
        }

        Assert.Fail($"{what}: bytes allocated in three windows of {runs} runs: {string.Join(", ", windows)}");
    }

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
