namespace EdgeCnn.Vision.Tests;

/// <summary>
/// Counts managed bytes allocated on this thread while an action runs (as tests/EdgeCnn.Runtime.Tests/TestSupport does);
/// AllocationAssertTests shows a single small allocation is caught, so a zero here means something.
/// </summary>
internal static class AllocationAssert
{
    public static long BytesAllocated(Action action, int iterations)
    {
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

public class AllocationAssertTests
{
    [Fact]
    public void One_small_allocation_is_counted()
    {
        object? sink = null;
        Assert.True(AllocationAssert.BytesAllocated(() => sink = new byte[1], 1) > 0);
        GC.KeepAlive(sink);
    }
}
