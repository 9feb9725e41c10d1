using System.Runtime.InteropServices;
using EdgeCnn.Converter.Calibration;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Quantization;

/// <summary>Per-layer error of a quantized model against its fp32 model over measurement samples.</summary>
/// <param name="Accumulated">By layer: the quantized model's value (int8 error accumulated from the input on) vs fp32.</param>
/// <param name="Isolated">By layer: the layer alone in int8, fed the fp32 model's exact inputs, vs fp32 (null for fp32 layers).</param>
/// <param name="Outputs">By graph output: the quantized model's output vs fp32.</param>
public sealed record LayerErrors(ErrorAccumulator[] Accumulated, ErrorAccumulator?[] Isolated, ErrorAccumulator[] Outputs, int Samples);

/// <summary>
/// Measures, on the same samples, the fp32 model and the quantized model with the runtime's own kernels. Every layer's
/// output is compared twice: as the quantized model computes it (error accumulated through the graph, what the user gets)
/// and with the layer alone in int8 on the fp32 model's inputs (the layer's own error, what mixed precision decides on).
/// </summary>
public static class LayerErrorMeter
{
    public static LayerErrors Measure(ModelDefinition fp32, QuantizedModel quantized, ICalibrationSource source, int samples, int threads,
        Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(source);
        int count = Math.Min(samples, source.Count);
        int workers = Math.Max(1, Math.Min(threads, count));
        byte[] fp32Bytes = Runtime.Format.ModelWriter.Write(fp32);
        byte[] mixedBytes = Runtime.Format.ModelWriter.Write(quantized.Definition);
        IReadOnlyList<QuantizedLayer> layers = quantized.Layers;
        byte[]?[] isolatedModels = layers.Select(l => l.Precision == LayerPrecision.Int8 ? IsolatedLayer.Build(fp32, quantized, l) : null).ToArray();
        ChannelBounds?[] clamps = layers.Select(l => ChannelBounds.After(fp32, l)).ToArray();
        var results = new LayerErrors[workers];
        int done = 0;
        Parallels.Run(workers, w =>
        {
            using InferenceSession reference = InferenceSession.Load(fp32Bytes);
            using InferenceSession mixed = InferenceSession.Load(mixedBytes);
            var isolated = isolatedModels.Select(m => m is null ? null : InferenceSession.Load(m)).ToArray();
            try
            {
                var values = new float[fp32.Tensors.Count][];
                var capture = new CaptureObserver(reference, values);
                var accumulated = layers.Select(_ => new ErrorAccumulator()).ToArray();
                var own = isolated.Select(s => s is null ? null : new ErrorAccumulator()).ToArray();
                var outputs = fp32.Outputs.Select(_ => new ErrorAccumulator()).ToArray();
                var compare = new CompareObserver(mixed, layers, values, accumulated, clamps);
                for (int i = w; i < count; i += workers)
                {
                    source.Fill(i, reference.Input<float>(0));
                    reference.Input<float>(0).CopyTo(mixed.Input<float>(0));
                    capture.Capture(fp32.Inputs[0]);
                    reference.Run(ref capture);
                    mixed.Run(ref compare);
                    for (int o = 0; o < outputs.Length; o++)
                    {
                        outputs[o].Add(reference.Output<float>(o), mixed.Output<float>(o));
                    }

                    for (int l = 0; l < layers.Count; l++)
                    {
                        if (isolated[l] is { } s)
                        {
                            IsolatedLayer.Run(s, fp32, layers[l], values);
                            ChannelBounds.Add(own[l]!, values[layers[l].Fp32Tensor], s.Output<float>(0), clamps[l]);
                        }
                    }

                    progress?.Invoke(Interlocked.Increment(ref done), count);
                }

                results[w] = new LayerErrors(accumulated, own, outputs, 0);
            }
            finally
            {
                foreach (InferenceSession? s in isolated)
                {
                    s?.Dispose();
                }
            }
        });

        LayerErrors total = results[0];
        for (int w = 1; w < workers; w++)
        {
            for (int l = 0; l < layers.Count; l++)
            {
                total.Accumulated[l].Merge(results[w].Accumulated[l]);
                total.Isolated[l]?.Merge(results[w].Isolated[l]!);
            }

            for (int o = 0; o < total.Outputs.Length; o++)
            {
                total.Outputs[o].Merge(results[w].Outputs[o]);
            }
        }

        return total with { Samples = count };
    }

    /// <summary>Copies every fp32 tensor the reference model computes, as its producer finishes.</summary>
    private readonly struct CaptureObserver : IRunObserver
    {
        private readonly InferenceSession _session;
        private readonly float[]?[] _values;

        public CaptureObserver(InferenceSession session, float[]?[] values)
        {
            _session = session;
            _values = values;
        }

        public void NodeStarting(int node)
        {
        }

        public void NodeFinished(int node)
        {
            foreach (int t in _session.Model.Nodes[node].Outputs)
            {
                Capture(t);
            }
        }

        public void Capture(int t)
        {
            ReadOnlySpan<float> v = MemoryMarshal.Cast<byte, float>(_session.TensorBytes(t));
            float[] buffer = _values[t] ??= new float[v.Length];
            v.CopyTo(buffer);
        }
    }

    /// <summary>Dequantizes each layer's value in the quantized model as its producer finishes and compares it with fp32.</summary>
    private readonly struct CompareObserver : IRunObserver
    {
        private readonly InferenceSession _session;
        private readonly float[]?[] _reference;
        private readonly ErrorAccumulator[] _errors;
        private readonly List<int>[] _layersByTensor;
        private readonly IReadOnlyList<QuantizedLayer> _layers;
        private readonly float[] _scratch;

        private readonly ChannelBounds?[] _clamps;

        public CompareObserver(InferenceSession session, IReadOnlyList<QuantizedLayer> layers, float[]?[] reference, ErrorAccumulator[] errors,
            ChannelBounds?[] clamps)
        {
            _session = session;
            _clamps = clamps;
            _reference = reference;
            _errors = errors;
            _layers = layers;
            _layersByTensor = new List<int>[session.Model.Tensors.Count];
            long largest = 1;
            for (int l = 0; l < layers.Count; l++)
            {
                if (layers[l].MixedTensor >= 0)
                {
                    (_layersByTensor[layers[l].MixedTensor] ??= []).Add(l);
                    largest = Math.Max(largest, session.Model.Tensors[layers[l].MixedTensor].ElementCount);
                }
            }

            _scratch = new float[largest];
        }

        public void NodeStarting(int node)
        {
        }

        public void NodeFinished(int node)
        {
            foreach (int t in _session.Model.Nodes[node].Outputs)
            {
                if (_layersByTensor[t] is not { } ls)
                {
                    continue;
                }

                TensorDesc d = _session.Model.Tensors[t];
                ReadOnlySpan<byte> bytes = _session.TensorBytes(t);
                Span<float> y = _scratch.AsSpan(0, (int)d.ElementCount);
                if (d.Type == DataType.Int8)
                {
                    QuantizationInfo q = d.Quantization!;
                    for (int i = 0; i < y.Length; i++)
                    {
                        y[i] = ((sbyte)bytes[i] - q.ZeroPoint) * q.Scale;
                    }
                }
                else
                {
                    MemoryMarshal.Cast<byte, float>(bytes).CopyTo(y);
                }

                foreach (int l in ls)
                {
                    ChannelBounds.Add(_errors[l], _reference[_layers[l].Fp32Tensor], y, _clamps[l]);
                }
            }
        }
    }
}
