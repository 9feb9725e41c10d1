using BenchmarkDotNet.Attributes;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Bench.Kernels;

/// <summary>
/// Every supported fp32 Conv / Dense row of the kernel table on every layer shape of its family, plus the reference on the
/// smallest shapes: a planned one-node session forced to that row (SessionOptions.Only), timed per Run. GFLOP/s is the
/// GflopsColumn; allocation (MemoryDiagnoser) must read 0 B.
/// </summary>
public class ConvBenchmarks
{
    private InferenceSession? _session;

    /// <summary>"kernel | shape" for every row that accepts the shape (its family) and is accelerated here.</summary>
    public static IEnumerable<string> Cases()
    {
        foreach (LayerShape shape in LayerShape.All)
        {
            OpCode op = string.Equals(shape.Family, "dense", StringComparison.Ordinal) ? OpCode.Dense : OpCode.Conv;
            foreach (KernelInfo k in KernelTable.For(op, DataType.Float32).Where(k => k.IsSupported && !k.IsReference))
            {
                bool family = shape.Family switch
                {
                    "dw" => k.Name.Contains("-dw-", StringComparison.Ordinal) && (shape.K == 3 || !k.Name.Contains("-3x3-", StringComparison.Ordinal)),
                    _ => k.Name.Contains("-gemm-", StringComparison.Ordinal)
                        // The dense shapes are batch 1, which the GEMV rows take.
                        || (string.Equals(shape.Family, "dense", StringComparison.Ordinal) && k.Name.Contains("-gemv-", StringComparison.Ordinal))
                        // WinogradF23Kernel.MinChannels: below it the row refuses the layer.
                        || (k.Name.Contains("-winograd-", StringComparison.Ordinal) && shape.K == 3 && shape.Stride == 1 && shape.C >= 64 && shape.O >= 64)
                        // ConvGemmRowsF32Kernel.Accepts: windows at least twice as wide as the channels.
                        || (k.Name.Contains("-gemmrows-", StringComparison.Ordinal) && 2 * shape.C <= shape.K),
                };
                if (family)
                {
                    yield return $"{k.Name} | {shape.Name}";
                }
            }
        }
    }

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        (string kernel, LayerShape shape) = Parse(Case);
        _session = shape.Build().BuildSession(new SessionOptions { KernelFilter = k => string.Equals(k.Name, kernel, StringComparison.Ordinal) });
        string chosen = _session.Kernels.Single(k => k is not null)!.Name;
        if (!string.Equals(chosen, kernel, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Case}: Plan chose {chosen}");
        }

        _session.Input<float>(0).Fill(0.5f);
    }

    [GlobalCleanup]
    public void Cleanup() => _session?.Dispose();

    [Benchmark]
    public void Run() => _session!.Run();

    public static (string Kernel, LayerShape Shape) Parse(string value)
    {
        int bar = value.IndexOf(" | ", StringComparison.Ordinal);
        return (value[..bar], LayerShape.Find(value[(bar + 3)..]));
    }
}
