using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Graph;

/// <summary>Run allocates nothing: every operator, fp32 and int8, through a planned session 1,000 times.</summary>
public class ZeroAllocationTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach ((string name, _, _) in OpSamples.All())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Run_allocates_nothing(string sample)
    {
        Func<ModelBuilder> build = OpSamples.All().Single(s => string.Equals(s.Name, sample, StringComparison.Ordinal)).Build;
        using InferenceSession session = build().BuildSession();
        OpSamples.FillInputs(session);
        AllocationAssert.NoAllocations(session.Run, 1000, sample);
    }

    [Fact]
    public void Every_registered_operator_has_a_sample()
    {
        var covered = OpSamples.All().Select(s => s.Op).ToHashSet();
        var missing = OpRegistry.All.Select(o => o.Code).Where(c => !covered.Contains(c)).ToList();
        Assert.True(missing.Count == 0, $"operators without a zero-allocation sample: {string.Join(", ", missing)}");
        Assert.Equal(Enum.GetValues<OpCode>().Length, OpRegistry.All.Count());
    }
}
