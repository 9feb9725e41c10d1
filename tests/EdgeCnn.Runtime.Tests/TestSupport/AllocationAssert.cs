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
    /// Asserts that some round of <paramref name="iterations"/> runs allocates nothing, trying up to three rounds. An allocation
    /// per run shows in every round and fails; a one-off charged to the thread while tiered compilation installs a method's
    /// optimized code (which on a loaded machine can land after the warm-up runs) shows in one round only and passes.
    /// </summary>
    public static void NoAllocations(Action action, int iterations, string what)
    {
        long fewest = long.MaxValue;
        for (int round = 0; round < 3 && fewest != 0; round++)
        {
            fewest = Math.Min(fewest, BytesAllocated(action, iterations));
        }

        Assert.True(fewest == 0, $"{what}: {fewest} bytes allocated over {iterations} runs (the fewest of 3 rounds)");
    }
}
