using EdgeCnn.Converter.Testing;

namespace EdgeCnn.Converter.Tests.Testing;

public class OutputComparerTests
{
    private static readonly BackendTestOptions Default = new();

    [Fact]
    public void Tolerance_is_atol_plus_rtol_times_expected()
    {
        // 1000 * 1e-3 + 1e-7 = 1.0000001: an error of 0.9 passes, 1.5 fails
        Assert.True(OutputComparer.Compare([1000f], [1000.9f], Default).Passed);
        OutputComparer.Outcome r = OutputComparer.Compare([1000f, 1f], [1001.5f, 1f], Default);
        Assert.False(r.Passed);
        Assert.Equal(0, r.WorstIndex);
        Assert.Equal(1.5, r.MaxAbsError, 3);
        Assert.False(OutputComparer.Compare([0f], [1e-6f], Default).Passed);
        Assert.True(OutputComparer.Compare([0f], [1e-6f], new BackendTestOptions(Atol: 1e-5)).Passed);
    }

    [Fact]
    public void Nan_equals_nan_and_infinities_equal_only_themselves()
    {
        Assert.True(OutputComparer.Compare([float.NaN, float.PositiveInfinity], [float.NaN, float.PositiveInfinity], Default).Passed);
        OutputComparer.Outcome r = OutputComparer.Compare([1f, float.NaN], [1f, 0f], Default);
        Assert.False(r.Passed);
        Assert.Equal(1, r.WorstIndex);
        Assert.False(OutputComparer.Compare([float.PositiveInfinity], [float.NegativeInfinity], Default).Passed);
        Assert.False(OutputComparer.Compare([1f], [float.NaN], Default).Passed);
    }

    [Fact]
    public void The_worst_element_is_the_one_furthest_past_its_tolerance()
    {
        // index 0: error 0.5 on 1000 (within); index 1: error 0.01 on 0 (outside)
        OutputComparer.Outcome r = OutputComparer.Compare([1000f, 0f], [1000.5f, 0.01f], Default);
        Assert.False(r.Passed);
        Assert.Equal(1, r.WorstIndex);
        Assert.Equal(0.5, r.MaxAbsError, 3);
    }
}
