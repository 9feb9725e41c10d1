using System.Runtime.InteropServices;
using EdgeCnn.Bench.OnnxRuntime.Native;

namespace EdgeCnn.Bench.OnnxRuntime;

/// <summary>
/// One model run with every input and output bound once (OrtIoBinding) to 64-byte-aligned native buffers that this object
/// owns. <see cref="Run"/> is one RunWithBinding call: no managed allocation, no marshalling, no copies on our side, so a
/// timing loop measures ONNX Runtime. Outputs are read in place through <see cref="Output{T}"/>.
/// </summary>
public sealed unsafe class OrtBoundRun : IDisposable
{
    private const nuint Alignment = 64;
    private readonly OrtSession _session;
    private readonly OrtHandle _binding;
    private readonly OrtHandle _runOptions;
    private readonly OrtHandle[] _values;
    private readonly Buffer[] _inputs;
    private readonly Buffer[] _outputs;
    private bool _disposed;

    internal OrtBoundRun(OrtSession session, OrtTensor[] inputs, long[][] outputShapes)
    {
        _session = session;
        OrtApi api = session.Api;
        _inputs = new Buffer[inputs.Length];
        _outputs = new Buffer[outputShapes.Length];
        _values = new OrtHandle[inputs.Length + outputShapes.Length];
        nint raw;
        api.Check(api.CreateRunOptions(&raw), "CreateRunOptions");
        _runOptions = new OrtHandle(raw, api.ReleaseRunOptions, "OrtRunOptions");
        api.Check(api.CreateIoBinding(session.Handle, &raw), "CreateIoBinding");
        _binding = new OrtHandle(raw, api.ReleaseIoBinding, "OrtIoBinding");
        try
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                OrtTensor t = inputs[i];
                _inputs[i] = Buffer.Allocate(t.ElementType, t.Shape.ToArray(), $"input '{t.Name}'");
                t.Bytes.CopyTo(new Span<byte>(_inputs[i].Data, checked((int)_inputs[i].Bytes)));
                _values[i] = Bind(i, _inputs[i], session.Inputs[i].Name, isInput: true);
            }

            for (int o = 0; o < outputShapes.Length; o++)
            {
                OrtTensorInfo info = session.Outputs[o];
                OrtElementType type = info.ElementType
                    ?? throw new OnnxRuntimeException($"{Path.GetFileName(session.ModelPath)}: output {info} cannot be bound (float32, uint8, int8, int32, int64 tensors)");
                _outputs[o] = Buffer.Allocate(type, outputShapes[o], $"output '{info.Name}'");
                _values[inputs.Length + o] = Bind(o, _outputs[o], info.Name, isInput: false);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int InputCount => _inputs.Length;

    public int OutputCount => _outputs.Length;

    /// <summary>The shape bound to output <paramref name="index"/>.</summary>
    public IReadOnlyList<long> OutputShape(int index) => _outputs[index].Shape;

    /// <summary>Input <paramref name="index"/> (model order) in place: write here to change what the next run sees.</summary>
    public Span<T> Input<T>(int index)
        where T : unmanaged => _inputs[index].View<T>(_disposed);

    /// <summary>Output <paramref name="index"/> (model order) in place, as the last run left it.</summary>
    public ReadOnlySpan<T> Output<T>(int index)
        where T : unmanaged => _outputs[index].View<T>(_disposed);

    /// <summary>Runs the model once on the bound buffers. Allocates no managed memory.</summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        OrtApi api = _session.Api;
        nint status = api.RunWithBinding(_session.Handle, _runOptions.Raw, _binding.Raw);
        if (status != 0)
        {
            api.Check(status, $"RunWithBinding({Path.GetFileName(_session.ModelPath)})");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _binding?.Dispose(); // before the values it refers to
        foreach (OrtHandle? v in _values)
        {
            v?.Dispose();
        }

        _runOptions?.Dispose();
        foreach (Buffer? b in _inputs.Concat(_outputs))
        {
            b?.Free();
        }
    }

    private OrtHandle Bind(int index, Buffer buffer, string name, bool isInput)
    {
        OrtApi api = _session.Api;
        nint value = _session.CreateValue(buffer.Data, buffer.Bytes, buffer.Shape, buffer.Type, name);
        var handle = new OrtHandle(value, api.ReleaseValue, "OrtValue");
        byte* cName = isInput ? _session.InputNames[index] : _session.OutputNames[index];
        api.Check(isInput ? api.BindInput(_binding.Raw, cName, value) : api.BindOutput(_binding.Raw, cName, value),
            $"{(isInput ? "BindInput" : "BindOutput")}('{name}')");
        return handle;
    }

    private sealed class Buffer
    {
        private Buffer(OrtElementType type, long[] shape, long count)
        {
            Type = type;
            Shape = shape;
            Count = count;
            Bytes = count * OrtElementTypes.Size(type);
            Data = NativeMemory.AlignedAlloc((nuint)Math.Max(1, Bytes), Alignment);
            new Span<byte>(Data, checked((int)Bytes)).Clear();
        }

        public OrtElementType Type { get; }

        public long[] Shape { get; }

        public long Count { get; }

        public long Bytes { get; }

        public void* Data { get; private set; }

        public static Buffer Allocate(OrtElementType type, long[] shape, string what) =>
            new(type, shape, OrtTensor.ElementCount(shape, what));

        public Span<T> View<T>(bool disposed)
            where T : unmanaged
        {
            ObjectDisposedException.ThrowIf(disposed || Data == null, this);
            OrtElementType wanted = OrtElementTypes.Of(typeof(T));
            if (wanted != Type)
            {
                throw new InvalidOperationException($"the bound tensor holds {OrtElementTypes.Name(Type)}, not {OrtElementTypes.Name(wanted)}");
            }

            return new Span<T>(Data, checked((int)Count));
        }

        public void Free()
        {
            if (Data != null)
            {
                NativeMemory.AlignedFree(Data);
                Data = null;
            }
        }
    }
}
