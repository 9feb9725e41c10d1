using System.Diagnostics;
using EdgeCnn.Bench.OnnxRuntime;
using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.SideBySide;

/// <summary>Latency of one runtime on one model over the timed runs.</summary>
internal sealed record Timing(double MedianMs, double P90Ms, double MinMs);

/// <summary>One of EdgeCnn's layers by time: median ms, share of the summed layer medians, work rate, % of the peak.</summary>
internal sealed record LayerCost(int Index, string Name, string Op, string Kernel, double Ms, double Share, long Macs, double GMacsPerSecond, double? PeakFraction);

/// <summary>How EdgeCnn's outputs compare with ONNX Runtime's on the same input.</summary>
internal sealed record OutputCheck(double MaxAbsDiff, double MaxAbsReference, double Tolerance, bool Agree, string Detail);

/// <summary>One model (or pair) measured side by side; <see cref="Error"/> when it could not be.</summary>
internal sealed record PairResult(string Name, string Precision, string OnnxPath)
{
    public long Macs { get; init; }

    public Timing? Ort { get; init; }

    public Timing? EdgeCnn { get; init; }

    /// <summary>EdgeCnn median / ONNX Runtime median: below 1 EdgeCnn is faster.</summary>
    public double? Ratio => Ort is not null && EdgeCnn is not null ? EdgeCnn.MedianMs / Ort.MedianMs : null;

    public OutputCheck? Outputs { get; init; }

    public IReadOnlyList<LayerCost> SlowestLayers { get; init; } = [];

    public string? Error { get; init; }

    /// <summary>int8 quantized in-process: what it was calibrated on (and why that data).</summary>
    public string? Calibration { get; init; }

    /// <summary>int8 quantized in-process: layers the quantizer kept fp32, each as "name (op: why)".</summary>
    public IReadOnlyList<string>? Fp32Layers { get; init; }

    public bool Ok => Error is null && Outputs is { Agree: true };
}

/// <summary>
/// Runs one EdgeCnn session and one ONNX Runtime session on the same random input (seed 7, uniform [0, 1) for float
/// inputs), checks their outputs agree, then times them interleaved: each timed iteration runs both, alternating which
/// goes first, so drift in clock or load falls on both. ONNX Runtime runs through a pre-bound IoBinding (no managed
/// work per run), EdgeCnn through Run() on its arena: each side's measured time is its own inference.
/// </summary>
internal sealed class PairRunner(OnnxRuntimeLibrary ort, SideBySideOptions options, PeakMeasurement fp32Peak, PeakMeasurement int8Peak)
{
    /// <summary>The least time both runtimes spend warming up on each model, whatever --warmup says.</summary>
    public static readonly TimeSpan MinWarmup = TimeSpan.FromSeconds(1);

    /// <summary>fp32: outputs agree within 1e-3 of the largest reference magnitude (at least 1e-3 absolute).</summary>
    public const double Fp32RelativeTolerance = 1e-3;

    /// <summary>int8 vs QDQ: 5% of the largest reference magnitude (at least 0.05 absolute); see <see cref="Int8ToleranceWhy"/>.</summary>
    public const double Int8RelativeTolerance = 5e-2;

    /// <summary>Why int8 against a QDQ model is not compared bit for bit.</summary>
    public const string Int8ToleranceWhy =
        "both hold the same integer weights, scales and zero points, but ONNX Runtime fuses the QDQ pattern into its own kernels, "
        + "which requantize with a float multiply where EdgeCnn uses TFLite's int32 fixed-point multiplier and shift, so an "
        + "accumulator on a rounding boundary lands one step apart and that step travels through every later layer; a wrong "
        + "kernel or wrong quantization is off by far more (the tests check that such a model is caught)";

    /// <param name="input">The values both runtimes are fed (the model's one input); null: random, seed 7, uniform [0, 1).</param>
    public PairResult Run(string name, string precision, byte[] ecnn, string onnxPath, float[]? input = null)
    {
        var result = new PairResult(name, precision, onnxPath);
        using InferenceSession edge = InferenceSession.Load(ecnn, EdgeCnnOptions(options.Threads));
        var settings = new OrtSessionSettings
        {
            IntraOpThreads = options.Threads,
            // Interleaved runs: a spinning ONNX Runtime pool would eat the cores EdgeCnn's run needs right after.
            ConfigEntries = options.Threads > 1
                ? new Dictionary<string, string>(StringComparer.Ordinal) { ["session.intra_op.allow_spinning"] = "0" }
                : new Dictionary<string, string>(StringComparer.Ordinal),
        };
        using OrtSession onnx = OrtSession.Open(onnxPath, settings, ort);
        using OrtBoundRun bound = onnx.Bind(Inputs(edge, onnx, input));
        int[] outputMap = MapOutputs(edge, onnx);

        // Warm up for the given runs and at least MinWarmup: under the JIT a kernel runs unoptimized code until tiered
        // compilation has recompiled it (after 30 calls and a 100 ms delay), which a few runs of a small model do not reach.
        long warmStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < Math.Max(1, options.Warmup) || Stopwatch.GetElapsedTime(warmStart) < MinWarmup; i++)
        {
            bound.Run();
            edge.Run();
        }

        OutputCheck check = Compare(edge, bound, outputMap, precision);
        long[] ortTicks = new long[options.Iterations];
        long[] edgeTicks = new long[options.Iterations];
        for (int i = 0; i < options.Iterations; i++)
        {
            if ((i & 1) == 0)
            {
                ortTicks[i] = Time(bound.Run);
                edgeTicks[i] = Time(edge.Run);
            }
            else
            {
                edgeTicks[i] = Time(edge.Run);
                ortTicks[i] = Time(bound.Run);
            }
        }

        long[] macs = MacCounter.PerNode(edge.Model);
        return result with
        {
            Macs = macs.Sum(),
            Ort = Summarize(ortTicks),
            EdgeCnn = Summarize(edgeTicks),
            Outputs = check,
            SlowestLayers = options.Layers > 0 ? Slowest(edge, macs) : [],
        };
    }

    /// <summary>The EdgeCnn session options for <paramref name="threads"/>: the same thread count ONNX Runtime gets.</summary>
    internal static SessionOptions EdgeCnnOptions(int threads) =>
        threads is >= 1 and <= 64
            ? new SessionOptions { Threads = threads }
            : throw new UsageException($"--threads {threads}: from 1 to 64");

    private static long Time(Action run)
    {
        long start = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetTimestamp() - start;
    }

    private static Timing Summarize(long[] ticks)
    {
        double[] ms = Percentiles.SortedMs(ticks);
        return new Timing(Percentiles.Of(ms, 50), Percentiles.Of(ms, 90), ms[0]);
    }

    /// <summary>
    /// The same input for both, <paramref name="given"/> or random: EdgeCnn's graph inputs keep the ONNX names and layout
    /// (the converter adds any transpose inside).
    /// </summary>
    private static OrtTensor[] Inputs(InferenceSession edge, OrtSession onnx, float[]? given)
    {
        if (edge.Inputs.Count != onnx.Inputs.Count)
        {
            throw new InvalidOperationException($"EdgeCnn model has {edge.Inputs.Count} inputs, the ONNX model {onnx.Inputs.Count}");
        }

        var random = new Random(7);
        var tensors = new OrtTensor[edge.Inputs.Count];
        for (int i = 0; i < tensors.Length; i++)
        {
            SessionTensor e = edge.Inputs[i];
            OrtTensorInfo o = onnx.Inputs.FirstOrDefault(t => string.Equals(t.Name, e.Name, StringComparison.Ordinal)) ?? onnx.Inputs[i];
            if (e.Type != DataType.Float32 || o.ElementType != OrtElementType.Float32)
            {
                throw new InvalidOperationException($"input '{e.Name}': EdgeCnn takes {e.Type.Name()}, ONNX Runtime {o}; the side-by-side feeds float32 inputs only");
            }

            float[] data = new float[e.ElementCount];
            if (given is not null)
            {
                data = tensors.Length == 1 && given.Length == data.Length
                    ? given
                    : throw new InvalidOperationException($"input '{e.Name}': {given.Length} values given for a model with {tensors.Length} input(s) of {data.Length} values");
            }
            else
            {
                for (int k = 0; k < data.Length; k++)
                {
                    data[k] = random.NextSingle();
                }
            }

            data.CopyTo(edge.Input<float>(i));
            tensors[i] = OrtTensor.Create(o.Name, data, e.Shape.Select(d => (long)d).ToArray());
        }

        return tensors;
    }

    /// <summary>For each EdgeCnn output, the ONNX Runtime output of the same name (else the same position).</summary>
    private static int[] MapOutputs(InferenceSession edge, OrtSession onnx)
    {
        if (edge.Outputs.Count != onnx.Outputs.Count)
        {
            throw new InvalidOperationException($"EdgeCnn model has {edge.Outputs.Count} outputs, the ONNX model {onnx.Outputs.Count}");
        }

        var map = new int[edge.Outputs.Count];
        for (int j = 0; j < map.Length; j++)
        {
            int byName = onnx.Outputs.ToList().FindIndex(o => string.Equals(o.Name, edge.Outputs[j].Name, StringComparison.Ordinal));
            map[j] = byName >= 0 ? byName : j;
        }

        return map;
    }

    internal static OutputCheck Compare(InferenceSession edge, OrtBoundRun ort, int[] outputMap, string precision)
    {
        double maxDiff = 0, maxRef = 0;
        string worst = "";
        for (int j = 0; j < outputMap.Length; j++)
        {
            SessionTensor e = edge.Outputs[j];
            if (e.Type != DataType.Float32)
            {
                throw new InvalidOperationException($"output '{e.Name}' is {e.Type.Name()} in EdgeCnn; the side-by-side compares float32 outputs");
            }

            ReadOnlySpan<float> a = edge.Output<float>(j);
            ReadOnlySpan<float> b = ort.Output<float>(outputMap[j]);
            if (a.Length != b.Length)
            {
                throw new InvalidOperationException($"output '{e.Name}': EdgeCnn gives {a.Length} values, ONNX Runtime {b.Length}");
            }

            for (int k = 0; k < a.Length; k++)
            {
                double d = Math.Abs((double)a[k] - b[k]);
                maxRef = Math.Max(maxRef, Math.Abs((double)b[k]));
                if (d > maxDiff || double.IsNaN(d))
                {
                    maxDiff = double.IsNaN(d) ? double.PositiveInfinity : d;
                    worst = $"{e.Name}[{k}]: EdgeCnn {a[k]}, ONNX Runtime {b[k]}";
                }
            }
        }

        double relative = string.Equals(precision, "int8", StringComparison.Ordinal) ? Int8RelativeTolerance : Fp32RelativeTolerance;
        double tolerance = relative * Math.Max(1, maxRef);
        return new OutputCheck(maxDiff, maxRef, tolerance, maxDiff <= tolerance, worst);
    }

    private List<LayerCost> Slowest(InferenceSession edge, long[] macs)
    {
        int runs = Math.Min(options.Iterations, 5);
        var timer = new LayerTimer(edge.Model.Nodes.Count, runs);
        for (int r = 0; r < runs; r++)
        {
            timer.BeginRun(r);
            edge.Run(ref timer);
        }

        var all = new List<LayerCost>();
        double sum = 0;
        double[] ms = new double[edge.Model.Nodes.Count];
        for (int k = 0; k < ms.Length; k++)
        {
            ms[k] = timer.MedianMs(k);
            sum += ms[k];
        }

        for (int k = 0; k < ms.Length; k++)
        {
            NodeDesc node = edge.Model.Nodes[k];
            double rate = ms[k] > 0 && edge.Kernels[k] is not null ? macs[k] / (ms[k] / 1e3) : 0;
            DataType type = edge.Model.Tensors[node.Inputs[0] >= 0 ? node.Inputs[0] : node.Outputs[0]].Type;
            PeakMeasurement peak = type == DataType.Int8 ? int8Peak : fp32Peak;
            all.Add(new LayerCost(k, node.Name, node.Op.ToString(), edge.Kernels[k]?.Name ?? "view", ms[k], sum > 0 ? ms[k] / sum : 0,
                macs[k], rate / 1e9, MacCounter.IsWeighted(node.Op) && ms[k] > 0 ? rate / peak.MacsPerSecond : null));
        }

        return all.OrderByDescending(l => l.Ms).Take(options.Layers).ToList();
    }
}
