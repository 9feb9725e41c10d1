using BenchmarkDotNet.Attributes;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.Kernels;

/// <summary>The kernel Plan chooses by default on a few layer shapes, with 1 and 2 threads (SessionOptions.Threads).</summary>
public class ThreadedConvBenchmarks
{
    private InferenceSession? _session;

    public static IEnumerable<string> Shapes() => ["conv3x3 56x56x64->64", "conv1x1 28x28x128->128", "dw3x3 56x56x144"];

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = string.Empty;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _session = LayerShape.Find(Shape).Build().BuildSession(new SessionOptions { Threads = Threads });
        _session.Input<float>(0).Fill(0.5f);
    }

    [GlobalCleanup]
    public void Cleanup() => _session?.Dispose();

    [Benchmark]
    public void Run() => _session!.Run();
}
