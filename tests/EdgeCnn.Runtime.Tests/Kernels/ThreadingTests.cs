using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Tests.Graph;
using EdgeCnn.Runtime.Tests.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>Runs with SessionOptions.Threads &gt; 1: same results as the reference, and no allocation on any thread.</summary>
[Trait("Category", "Kernels")]
public class ThreadingTests
{
    /// <summary>The threaded kernels: GEMM (row taps included) and depthwise (Winograd refuses a pool; its test says so).</summary>
    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (string name in KernelComparison.RowNames(OpCode.Conv, DataType.Float32, "-gemm-")
            .Concat(KernelComparison.RowNames(OpCode.Conv, DataType.Float32, "-gemmrows-"))
            .Concat(KernelComparison.RowNames(OpCode.Conv, DataType.Float32, "-dw-")))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Threaded_convolution_matches_reference(string kernel)
    {
        bool depthwise = kernel.Contains("-dw-", StringComparison.Ordinal);
        foreach (int threads in (int[])[2, 3])
        {
            // One input channel for the row-tap GEMM (it takes windows at least twice as wide as the channels).
            int c = depthwise ? 24 : kernel.Contains("-gemmrows-", StringComparison.Ordinal) ? 1 : 8, o = depthwise ? 24 : 40;
            var rng = new Random(threads);
            int[] wShape = depthwise ? [c, 3, 3, 1] : [o, 3, 3, c];
            ModelBuilder model = ConvolutionRun.BuildFloat(OpCode.Conv, [1, 13, 11, c], ConvolutionRun.RandomFloats(rng, ConvolutionNaive.Count(wShape)), wShape,
                ConvolutionRun.RandomFloats(rng, o), new ConvOptions { Pads = [1, 1, 1, 1], Group = depthwise ? c : 1, Activation = FusedActivation.Relu6 });
            KernelComparison.Float(model, kernel, $"threads={threads} x=[1,13,11,{c}] w={KernelComparison.Describe(wShape)}", threads: threads);
        }
    }

    [Fact]
    public void Every_work_item_runs_exactly_once_on_the_pool()
    {
        using var pool = new WorkerPool(3);
        var work = new CountingWork(1000);
        for (int run = 0; run < 50; run++)
        {
            pool.For(work, work.Counts.Length);
        }

        Assert.All(work.Counts, c => Assert.Equal(50, c));
        pool.For(work, 0); // nothing to do: returns at once
        pool.For(work, 1);
        Assert.Equal(51, work.Counts[0]);
    }

    [Fact]
    public void Threads_below_one_are_refused_at_plan()
    {
        ModelBuilder model = OpSamples.All().First(s => s.Op == OpCode.Conv).Build();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.BuildSession(new SessionOptions { Threads = 0 }));
        Assert.Contains("Threads", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Every op sample with 3 threads, 300 runs: nothing allocated on the calling thread nor on the workers.</summary>
    [Fact]
    public void Threaded_runs_allocate_nothing_on_any_thread()
    {
        foreach ((string name, _, Func<ModelBuilder> build) in OpSamples.All())
        {
            using InferenceSession session = build().BuildSession(new SessionOptions { Threads = 3 });
            Assert.Equal(3, session.Threads);
            OpSamples.FillInputs(session);
            PerRunAllocation.AssertNone(session.Run, 300, $"{name} (3 threads, calling thread)");
            PerRunAllocation.AssertNone(session.Run, () => session.Pool!.WorkerAllocatedBytes, 300, $"{name} (3 threads, worker threads)");
        }
    }

    [Fact]
    public void The_worker_allocation_count_sees_an_allocating_work_item()
    {
        using var pool = new WorkerPool(2);
        var work = new AllocatingWork();
        pool.For(work, 64);
        long before = pool.WorkerAllocatedBytes;
        for (int i = 0; i < 20; i++)
        {
            pool.For(work, 64);
        }

        Assert.True(pool.WorkerAllocatedBytes > before, "an allocating work item went unseen on the worker threads");
        GC.KeepAlive(work.Last);
    }

    private sealed class AllocatingWork : IParallelWork
    {
        public object? Last { get; private set; }

        public void Execute(int item)
        {
            Last = new byte[64 + item];
            Thread.SpinWait(2000); // long enough that the worker takes items too
        }
    }

    private sealed class CountingWork(int items) : IParallelWork
    {
        public int[] Counts { get; } = new int[items];

        public void Execute(int item) => Interlocked.Increment(ref Counts[item]);
    }
}
