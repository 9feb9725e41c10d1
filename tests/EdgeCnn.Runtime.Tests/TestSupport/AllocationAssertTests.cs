namespace EdgeCnn.Runtime.Tests.TestSupport;

public class AllocationAssertTests
{
    private static object? s_sink;

    [Fact]
    public void Detects_a_single_small_allocation_per_run()
    {
        long bytes = AllocationAssert.BytesAllocated(() => s_sink = new byte[1], 1000);
        Assert.True(bytes >= 1000 * 25, $"only {bytes} bytes counted for 1000 allocations of byte[1]");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AllocationAssert.NoAllocations(() => s_sink = new object(), 10, "probe"));
    }

    [Fact]
    public void Counts_zero_for_work_that_does_not_allocate()
    {
        int[] data = new int[64];
        AllocationAssert.NoAllocations(() => Array.Fill(data, 7), 1000, "Array.Fill");
    }
}
