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

    public static void NoAllocations(Action action, int iterations, string what)
    {
        long bytes = BytesAllocated(action, iterations);
        Assert.True(bytes == 0, $"{what}: {bytes} bytes allocated over {iterations} runs");
    }
}
