namespace EdgeCnn.Runtime.Tests.TestSupport;

/// <summary>
/// Counts managed bytes allocated on this thread while an action runs many times. The paired test
/// (AllocationAssertTests) shows the count catches a single small allocation, so a zero here means something.
/// </summary>
public static class AllocationAssert
{
    public static long BytesAllocated(Action action, int iterations)
    {
        ArgumentNullException.ThrowIfNull(action);
        action(); // warm up: JIT, static constructors and tiering happen before the measurement
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>
    /// Passes when a window of <paramref name="iterations"/> runs counts 0 bytes, trying up to three windows. Under the full,
    /// parallel suite on .NET 10 a single window has occasionally counted a few KB that no run made (seen with kernels that
    /// cannot allocate, e.g. a reference kernel using no thread pool: 5.6 KB in one window, 0 in the next); an allocation
    /// made by every run, however small, shows in every window and still fails.
    /// </summary>
    public static void NoAllocations(Action action, int iterations, string what)
    {
        var windows = new List<long>(3);
        for (int w = 0; w < 3; w++)
        {
            windows.Add(BytesAllocated(action, iterations));
            if (windows[^1] == 0)
            {
                return;
            }
        }

        Assert.Fail($"{what}: {string.Join(", ", windows)} bytes allocated in three windows of {iterations} runs");
    }
}
