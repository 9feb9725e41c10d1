using System.Runtime.InteropServices;
using EdgeCnn.Bench.OnnxRuntime.Native;

namespace EdgeCnn.Bench.OnnxRuntime;

/// <summary>
/// An ONNX model loaded into ONNX Runtime's CPU execution provider with explicit threading: intra-op threads as the
/// settings say, one inter-op thread, sequential execution. <see cref="Run(IReadOnlyList{OrtTensor})"/> checks the inputs
/// against the model (names, element types, shapes) before ONNX Runtime sees them and copies every output into managed
/// arrays; <see cref="Bind"/> makes a pre-bound run for timing loops that allocates no managed memory.
/// </summary>
public sealed unsafe class OrtSession : IDisposable
{
    private readonly OrtHandle _session;
    private readonly NativeNames _inputNames;
    private readonly NativeNames _outputNames;

    private OrtSession(OnnxRuntimeLibrary library, string modelPath, OrtHandle session, OrtSessionSettings settings)
    {
        Library = library;
        ModelPath = modelPath;
        Settings = settings;
        _session = session;
        Inputs = ReadInfos(isInput: true);
        Outputs = ReadInfos(isInput: false);
        _inputNames = new NativeNames(Inputs.Select(i => i.Name));
        _outputNames = new NativeNames(Outputs.Select(o => o.Name));
    }

    public OnnxRuntimeLibrary Library { get; }

    public string ModelPath { get; }

    public OrtSessionSettings Settings { get; }

    public IReadOnlyList<OrtTensorInfo> Inputs { get; }

    public IReadOnlyList<OrtTensorInfo> Outputs { get; }

    internal OrtApi Api => Library.Api;

    internal nint Handle => _session.Raw;

    internal NativeNames InputNames => _inputNames;

    internal NativeNames OutputNames => _outputNames;

    /// <summary>Loads <paramref name="modelPath"/> (ONNX) into ONNX Runtime, loading the library first if needed.</summary>
    public static OrtSession Open(string modelPath, OrtSessionSettings? settings = null, OnnxRuntimeLibrary? library = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        settings ??= OrtSessionSettings.Default;
        if (settings.IntraOpThreads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.IntraOpThreads, "IntraOpThreads must be at least 1 (set explicitly for a fair comparison)");
        }

        string full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"ONNX model '{full}' does not exist", full);
        }

        library ??= OnnxRuntimeLibrary.Load();
        OrtApi api = library.Api;
        nint options;
        api.Check(api.CreateSessionOptions(&options), "CreateSessionOptions");
        using var optionsHandle = new OrtHandle(options, api.ReleaseSessionOptions, "OrtSessionOptions");
        api.Check(api.SetIntraOpNumThreads(options, settings.IntraOpThreads), $"SetIntraOpNumThreads({settings.IntraOpThreads})");
        api.Check(api.SetInterOpNumThreads(options, 1), "SetInterOpNumThreads(1)");
        api.Check(api.SetSessionExecutionMode(options, OrtConstants.ExecutionModeSequential), "SetSessionExecutionMode(ORT_SEQUENTIAL)");
        api.Check(api.SetSessionGraphOptimizationLevel(options, (int)settings.Optimization), $"SetSessionGraphOptimizationLevel({settings.Optimization})");
        foreach ((string key, string value) in settings.ConfigEntries)
        {
            fixed (byte* k = OrtApi.Utf8Z(key))
            fixed (byte* v = OrtApi.Utf8Z(value))
            {
                api.Check(api.AddSessionConfigEntry(options, k, v), $"AddSessionConfigEntry({key}={value})");
            }
        }

        nint session;
        fixed (byte* path = OrtApi.Utf8Z(full))
        {
            api.Check(api.CreateSession(library.Env, path, options, &session), $"CreateSession({full})");
        }

        var handle = new OrtHandle(session, api.ReleaseSession, "OrtSession");
        try
        {
            return new OrtSession(library, full, handle, settings);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model once on <paramref name="inputs"/> (one per model input, by name) and returns every output.</summary>
    public OrtTensor[] Run(params OrtTensor[] inputs) => Run((IReadOnlyList<OrtTensor>)inputs);

    /// <inheritdoc cref="Run(OrtTensor[])"/>
    public OrtTensor[] Run(IReadOnlyList<OrtTensor> inputs)
    {
        ObjectDisposedException.ThrowIf(_session.IsClosed, this);
        OrtTensor[] ordered = MatchInputs(inputs);
        var pins = new GCHandle[ordered.Length];
        nint[] values = new nint[ordered.Length];
        nint[] outputs = new nint[Outputs.Count];
        try
        {
            for (int i = 0; i < ordered.Length; i++)
            {
                pins[i] = GCHandle.Alloc(ordered[i].Data, GCHandleType.Pinned);
                values[i] = CreateValue((void*)pins[i].AddrOfPinnedObject(), ordered[i].Bytes.Length,
                    ordered[i].Shape.ToArray(), ordered[i].ElementType, Inputs[i].Name);
            }

            fixed (nint* inValues = values)
            fixed (nint* outValues = outputs)
            {
                Api.Check(Api.Run(Handle, 0, _inputNames.Pointers, inValues, (nuint)values.Length,
                    _outputNames.Pointers, (nuint)outputs.Length, outValues), $"Run({Path.GetFileName(ModelPath)})");
            }

            var result = new OrtTensor[outputs.Length];
            for (int o = 0; o < outputs.Length; o++)
            {
                result[o] = CopyOut(outputs[o], Outputs[o].Name);
            }

            return result;
        }
        finally
        {
            foreach (nint v in values.Concat(outputs))
            {
                if (v != 0)
                {
                    Api.ReleaseValue(v);
                }
            }

            foreach (GCHandle pin in pins)
            {
                if (pin.IsAllocated)
                {
                    pin.Free();
                }
            }

            GC.KeepAlive(_session);
        }
    }

    /// <summary>
    /// A run with every input and output bound once to native buffers (OrtIoBinding): for timing loops. The inputs are
    /// copied in now; change them through <see cref="OrtBoundRun.Input{T}"/>.
    /// </summary>
    public OrtBoundRun Bind(params OrtTensor[] inputs) => Bind((IReadOnlyList<OrtTensor>)inputs);

    /// <inheritdoc cref="Bind(OrtTensor[])"/>
    public OrtBoundRun Bind(IReadOnlyList<OrtTensor> inputs)
    {
        ObjectDisposedException.ThrowIf(_session.IsClosed, this);
        OrtTensor[] ordered = MatchInputs(inputs);
        bool dynamic = Outputs.Any(o => !o.IsStatic);
        // A symbolic output dimension is known only after a run: run once to learn the shapes to bind.
        long[][] outputShapes = dynamic
            ? Run(ordered).Select(t => t.Shape.ToArray()).ToArray()
            : Outputs.Select(o => o.Shape.ToArray()).ToArray();
        return new OrtBoundRun(this, ordered, outputShapes);
    }

    public void Dispose()
    {
        _session.Dispose();
        _inputNames.Dispose();
        _outputNames.Dispose();
    }

    /// <summary>An OrtValue over <paramref name="bytes"/> bytes at <paramref name="data"/> (not copied; the caller keeps them alive).</summary>
    internal nint CreateValue(void* data, long bytes, long[] shape, OrtElementType type, string name)
    {
        nint value;
        fixed (long* dims = shape)
        {
            Api.Check(Api.CreateTensorWithDataAsOrtValue(Library.CpuMemoryInfo, data, (nuint)bytes, dims, (nuint)shape.Length, (int)type, &value),
                $"CreateTensorWithDataAsOrtValue('{name}' {OrtElementTypes.Name(type)}{OrtTensor.ShapeText(shape)})");
        }

        return value;
    }

    /// <summary>The given tensors in the model's input order, each checked against its input.</summary>
    internal OrtTensor[] MatchInputs(IReadOnlyList<OrtTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        string model = Path.GetFileName(ModelPath);
        string expected = string.Join(", ", Inputs);
        var ordered = new OrtTensor[Inputs.Count];
        foreach (OrtTensor t in inputs)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(inputs));
            int i = IndexOf(Inputs, t.Name);
            if (i < 0)
            {
                throw new OnnxRuntimeException($"{model} has no input '{t.Name}'; its inputs are: {expected}");
            }

            if (ordered[i] is not null)
            {
                throw new OnnxRuntimeException($"{model}: input '{t.Name}' is given twice");
            }

            Check(Inputs[i], t, model);
            ordered[i] = t;
        }

        for (int i = 0; i < ordered.Length; i++)
        {
            if (ordered[i] is null)
            {
                throw new OnnxRuntimeException($"{model}: input '{Inputs[i].Name}' is missing; its inputs are: {expected}");
            }
        }

        return ordered;
    }

    private static void Check(OrtTensorInfo info, OrtTensor t, string model)
    {
        if (info.ElementType is not { } type)
        {
            throw new OnnxRuntimeException($"{model}: input {info} is of a kind this binding does not pass (float32, uint8, int8, int32, int64 tensors)");
        }

        if (type != t.ElementType)
        {
            throw new OnnxRuntimeException($"{model}: input '{t.Name}' is {OrtElementTypes.Name(type)}, but {OrtElementTypes.Name(t.ElementType)} was given");
        }

        bool fits = info.Shape.Count == t.Shape.Count;
        for (int d = 0; fits && d < t.Shape.Count; d++)
        {
            fits = info.Shape[d] < 0 || info.Shape[d] == t.Shape[d];
        }

        if (!fits)
        {
            throw new OnnxRuntimeException($"{model}: input '{t.Name}' has shape {OrtTensor.ShapeText(info.Shape.ToArray())} (? = any), "
                + $"but {OrtTensor.ShapeText(t.Shape.ToArray())} was given");
        }
    }

    private static int IndexOf(IReadOnlyList<OrtTensorInfo> infos, string name)
    {
        for (int i = 0; i < infos.Count; i++)
        {
            if (string.Equals(infos[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private OrtTensor CopyOut(nint value, string name)
    {
        nint info;
        Api.Check(Api.GetTensorTypeAndShape(value, &info), $"GetTensorTypeAndShape(output '{name}')");
        try
        {
            (int onnxType, long[] shape) = TypeAndShape(info, $"output '{name}'");
            if (!OrtElementTypes.IsSupported(onnxType))
            {
                throw new OnnxRuntimeException($"output '{name}' has ONNX element type {onnxType}; this binding copies float32, uint8, int8, int32 and int64");
            }

            var type = (OrtElementType)onnxType;
            long count = OrtTensor.ElementCount(shape, $"output '{name}'");
            Array data = type switch
            {
                OrtElementType.Float32 => new float[count],
                OrtElementType.UInt8 => new byte[count],
                OrtElementType.Int8 => new sbyte[count],
                OrtElementType.Int32 => new int[count],
                _ => new long[count],
            };
            void* source;
            Api.Check(Api.GetTensorMutableData(value, &source), $"GetTensorMutableData(output '{name}')");
            var bytes = new Span<byte>(source, checked((int)(count * OrtElementTypes.Size(type))));
            bytes.CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(data), bytes.Length));
            return OrtTensor.Wrap(name, type, data, shape);
        }
        finally
        {
            Api.ReleaseTensorTypeAndShapeInfo(info);
        }
    }

    private (int OnnxType, long[] Shape) TypeAndShape(nint tensorInfo, string what)
    {
        int type;
        nuint rank;
        Api.Check(Api.GetTensorElementType(tensorInfo, &type), $"GetTensorElementType({what})");
        Api.Check(Api.GetDimensionsCount(tensorInfo, &rank), $"GetDimensionsCount({what})");
        long[] shape = new long[(int)rank];
        fixed (long* dims = shape)
        {
            Api.Check(Api.GetDimensions(tensorInfo, dims, rank), $"GetDimensions({what})");
        }

        return (type, shape);
    }

    private OrtTensorInfo[] ReadInfos(bool isInput)
    {
        string kind = isInput ? "input" : "output";
        nuint count;
        Api.Check(isInput ? Api.SessionGetInputCount(Handle, &count) : Api.SessionGetOutputCount(Handle, &count), $"SessionGet{(isInput ? "Input" : "Output")}Count");
        var infos = new OrtTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            Api.Check(isInput ? Api.SessionGetInputName(Handle, i, Library.DefaultAllocator, &rawName)
                : Api.SessionGetOutputName(Handle, i, Library.DefaultAllocator, &rawName), $"SessionGet{kind}Name({i})");
            string name = Marshal.PtrToStringUTF8((nint)rawName) ?? "";
            Api.Check(Api.AllocatorFree(Library.DefaultAllocator, rawName), "AllocatorFree");

            nint typeInfo;
            Api.Check(isInput ? Api.SessionGetInputTypeInfo(Handle, i, &typeInfo)
                : Api.SessionGetOutputTypeInfo(Handle, i, &typeInfo), $"SessionGet{kind}TypeInfo('{name}')");
            try
            {
                int onnxType;
                Api.Check(Api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), $"GetOnnxTypeFromTypeInfo('{name}')");
                if (onnxType != (int)OnnxValueType.Tensor)
                {
                    infos[(int)i] = new OrtTensorInfo(name, false, 0, []);
                    continue;
                }

                nint tensorInfo; // owned by typeInfo
                Api.Check(Api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), $"CastTypeInfoToTensorInfo('{name}')");
                (int elementType, long[] shape) = TypeAndShape(tensorInfo, $"{kind} '{name}'");
                infos[(int)i] = new OrtTensorInfo(name, true, elementType, shape);
            }
            finally
            {
                Api.ReleaseTypeInfo(typeInfo);
            }
        }

        return infos;
    }
}
