using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Graph;

public class RunObserverTests
{
    /// <summary>x -> Relu -> Flatten (a view) -> Add(itself): three nodes, an intermediate that a later node may overwrite.</summary>
    private static ModelBuilder Chain(out TensorRef relu, out TensorRef flat, out TensorRef sum)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 2, 2, 3]);
        relu = b.Node(OpCode.Relu, [x]);
        flat = b.Node(OpCode.Flatten, [relu]);
        sum = b.Add(flat, flat);
        b.Output(sum);
        return b;
    }

    [Fact]
    public void Observer_sees_every_node_in_order_with_its_outputs_computed()
    {
        ModelBuilder b = Chain(out TensorRef relu, out _, out TensorRef sum);
        using InferenceSession s = b.BuildSession();
        Span<float> x = s.Input<float>(0);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = i - 6;
        }

        var observer = new Recorder(s, relu.Index) { Events = new List<string>() };
        s.Run(ref observer);

        Assert.Equal(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"], observer.Events);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5], observer.ReluAfterNode0!);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 2, 4, 6, 8, 10], s.Output<float>(0).ToArray());
        Assert.Equal(s.Output<float>(0).ToArray(),
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(s.TensorBytes(sum.Index)).ToArray());
    }

    [Fact]
    public void Observed_run_allocates_nothing_with_a_struct_observer()
    {
        using InferenceSession s = Chain(out _, out _, out _).BuildSession();
        var counter = new Counter();
        AllocationAssert.NoAllocations(() => s.Run(ref counter), 1000, "observed run");
        Assert.Equal(3 * 1002, counter.Finished);
    }

    [Fact]
    public void TensorBytes_rejects_an_index_outside_the_model()
    {
        using InferenceSession s = Chain(out _, out _, out _).BuildSession();
        Assert.Throws<ArgumentOutOfRangeException>(() => s.TensorBytes(-1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.TensorBytes(s.Model.Tensors.Count).Length);
    }

    private struct Recorder(InferenceSession session, int reluTensor) : IRunObserver
    {
        public List<string> Events { get; init; } = [];

        public float[]? ReluAfterNode0 { get; private set; }

        public readonly void NodeStarting(int node) => Events.Add($"start {node}");

        public void NodeFinished(int node)
        {
            Events.Add($"end {node}");
            if (node == 0)
            {
                ReluAfterNode0 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(session.TensorBytes(reluTensor)).ToArray();
            }
        }
    }


    private struct Counter : IRunObserver
    {
        public int Finished { get; private set; }

        public readonly void NodeStarting(int node)
        {
        }

        public void NodeFinished(int node) => Finished++;
    }
}
