using System.Runtime.InteropServices;
using EdgeCnn.Converter.Quantization;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Calibration;

/// <summary>
/// Runs the fp32 model on calibration samples with the runtime's own kernels and records, for every fp32 tensor the
/// model computes (graph inputs and node outputs), its min/max and, for the clipping methods, a histogram over that
/// range in a second pass. Sessions run on several threads over interleaved samples; the statistics merge exactly, so the
/// result is the same for any thread count.
/// </summary>
public static class Calibrator
{
    /// <param name="ecnn">The fp32 model.</param>
    /// <param name="progress">Called with the number of sample runs done so far (out of <c>samples</c> per pass).</param>
    public static TensorStatistics?[] Collect(byte[] ecnn, ICalibrationSource source, bool histograms, int threads, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ecnn);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (source.Count == 0)
        {
            throw new CalibrationException($"{source.Description}: no calibration samples");
        }

        int passes = histograms ? 2 : 1;
        int done = 0;
        int total = source.Count * passes;
        void Step() => progress?.Invoke(Interlocked.Increment(ref done), total);

        TensorStatistics?[] stats = RunPass(ecnn, source, threads, null, Step);
        if (histograms)
        {
            TensorStatistics?[] seeds = stats;
            TensorStatistics?[] second = RunPass(ecnn, source, threads, seeds, Step);
            for (int t = 0; t < stats.Length; t++)
            {
                if (stats[t] is { } s && second[t] is { Histogram: not null } h)
                {
                    s.StartHistogram(s.Min, s.Max);
                    s.Merge(h); // h holds counts only (no min/max/count of its own): the sum is exact
                }
            }
        }

        return stats;
    }

    private static TensorStatistics?[] RunPass(byte[] ecnn, ICalibrationSource source, int threads, TensorStatistics?[]? ranges, Action step)
    {
        int workers = Math.Min(threads, source.Count);
        var perThread = new TensorStatistics?[workers][];
        Parallels.Run(workers, w =>
        {
            using InferenceSession session = InferenceSession.Load(ecnn);
            if (session.Inputs.Count != 1 || session.Inputs[0].Type != DataType.Float32)
            {
                throw new CalibrationException($"calibration feeds one fp32 input; the model has {session.Inputs.Count} input(s)");
            }

            IReadOnlyList<TensorDesc> tensors = session.Model.Tensors;
            var local = new TensorStatistics?[tensors.Count];
            for (int t = 0; t < tensors.Count; t++)
            {
                if (tensors[t].Type == DataType.Float32 && !tensors[t].IsConstant && (ranges is null || ranges[t] is not null))
                {
                    local[t] = new TensorStatistics();
                    if (ranges is not null)
                    {
                        local[t]!.StartHistogram(ranges[t]!.Min, ranges[t]!.Max);
                    }
                }
            }

            var observer = new StatsObserver(session, local, ranges is not null);
            int input = session.Model.Inputs[0];
            for (int i = w; i < source.Count; i += workers)
            {
                source.Fill(i, session.Input<float>(0));
                observer.Record(input);
                session.Run(ref observer);
                step();
            }

            perThread[w] = local;
        });

        TensorStatistics?[] merged = perThread[0];
        for (int w = 1; w < workers; w++)
        {
            for (int t = 0; t < merged.Length; t++)
            {
                if (merged[t] is { } m && perThread[w][t] is { } o)
                {
                    m.Merge(o);
                }
            }
        }

        return merged;
    }

    private readonly struct StatsObserver : IRunObserver
    {
        private readonly InferenceSession _session;
        private readonly TensorStatistics?[] _stats;
        private readonly bool _histogram;

        public StatsObserver(InferenceSession session, TensorStatistics?[] stats, bool histogram)
        {
            _session = session;
            _stats = stats;
            _histogram = histogram;
        }

        public void NodeStarting(int node)
        {
        }

        public void NodeFinished(int node)
        {
            foreach (int t in _session.Model.Nodes[node].Outputs)
            {
                Record(t);
            }
        }

        public void Record(int tensor)
        {
            if (_stats[tensor] is not { } s)
            {
                return;
            }

            ReadOnlySpan<float> values = MemoryMarshal.Cast<byte, float>(_session.TensorBytes(tensor));
            if (_histogram)
            {
                s.AddToHistogram(values);
            }
            else
            {
                s.AddRange(values);
            }
        }
    }
}
