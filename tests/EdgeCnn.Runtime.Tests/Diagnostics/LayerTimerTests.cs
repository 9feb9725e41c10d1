using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Diagnostics;

public class LayerTimerTests
{
    [Theory]
    [InlineData(new[] { 4.0 }, 50, 4.0)]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 50, 2.5)]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 90, 3.7)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, 50, 3.0)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, 99, 4.96)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, 100, 5.0)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, 0, 1.0)]
    public void Percentiles_interpolate_between_closest_ranks(double[] sorted, double p, double expected) =>
        Assert.Equal(expected, Percentiles.Of(sorted, p), 9);

    [Fact]
    public void Percentiles_refuse_no_samples_and_p_outside_0_to_100()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.Of([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1.0], 101));
    }

    [Fact]
    public void Times_every_node_of_every_run_without_allocating()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 64, 64, 8]);
        TensorRef w = b.Constant("w", new float[8 * 3 * 3 * 8], [8, 3, 3, 8]);
        TensorRef c = b.Conv(x, w, options: new ConvOptions { PadMode = PadMode.SameUpper }, name: "conv");
        b.Output(b.Node(OpCode.Relu, c));
        using InferenceSession s = b.BuildSession();
        var timer = new LayerTimer(s.Model.Nodes.Count, 4);
        int run = 0;
        AllocationAssert.NoAllocations(() =>
        {
            timer.BeginRun(run++ % 4);
            s.Run(ref timer);
        }, 6, "LayerTimer runs");

        for (int r = 0; r < 4; r++)
        {
            Assert.True(timer.Ms(r, 0) > 0, $"run {r}: conv took {timer.Ms(r, 0)} ms");
        }

        // The conv does 64*64*8*72 MACs, the relu touches 32768 elements: the conv must be the slower node.
        Assert.True(timer.MedianMs(0) > timer.MedianMs(1), $"conv {timer.MedianMs(0)} ms, relu {timer.MedianMs(1)} ms");
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.BeginRun(4));
    }
}
