using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Graph;

/// <summary>
/// A planned model, ready to run. Construction is Plan: buffers are assigned and placed in one arena, kernels are chosen and
/// given their pointers and constants. Run computes and allocates nothing. Not thread-safe: one session per thread.
/// </summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private readonly Kernel?[] _kernels;
    private readonly Arena _arena;
    private readonly bool _ownsModel;
    private readonly SessionTensor[] _inputs;
    private readonly SessionTensor[] _outputs;
    private readonly nint[] _pointers;
    private readonly Kernels.Threading.WorkerPool? _pool;
    private bool _disposed;

    public InferenceSession(EcnnModel model, SessionOptions? options = null)
        : this(model, options ?? SessionOptions.Default, ownsModel: false)
    {
    }

    private InferenceSession(EcnnModel model, SessionOptions options, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _ownsModel = ownsModel;
        IReadOnlyList<TensorDesc> tensors = model.Tensors;
        IReadOnlyList<NodeDesc> nodes = model.Nodes;

        var nodeInputs = new TensorDesc?[nodes.Count][];
        var nodeOutputs = new TensorDesc[nodes.Count][];
        for (int k = 0; k < nodes.Count; k++)
        {
            nodeInputs[k] = nodes[k].Inputs.Select(i => i >= 0 ? tensors[i] : null).ToArray();
            nodeOutputs[k] = nodes[k].Outputs.Select(o => tensors[o]).ToArray();
        }

        BufferAssignment assignment = BufferAssignment.Build(tensors, nodes, model.Inputs, model.Outputs,
            k => OpRegistry.Get(nodes[k].Op).ScratchBytes(nodes[k], nodeInputs[k], nodeOutputs[k]));
        (long[] offsets, long total) = ArenaPlanner.Plan(assignment.Buffers);
        Buffers = assignment.Buffers.ToArray();
        BufferOffsets = offsets;
        ArenaLowerBound = ArenaPlanner.LowerBound(assignment.Buffers);
        if (total > options.MaxArenaBytes)
        {
            throw new EcnnFormatException(0, "plan.arena-limit",
                $"the model needs an arena of {total} bytes; this session allows {options.MaxArenaBytes} (SessionOptions.MaxArenaBytes)");
        }

        if (options.Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Threads, "SessionOptions.Threads must be at least 1");
        }

        _arena = new Arena(total);
        _pool = options.Threads > 1 ? new Kernels.Threading.WorkerPool(options.Threads) : null;
        try
        {
            var placements = new TensorPlacement[tensors.Count];
            var pointers = new nint[tensors.Count];
            for (int t = 0; t < tensors.Count; t++)
            {
                int b = assignment.TensorBuffer[t];
                if (b >= 0)
                {
                    pointers[t] = (nint)(_arena.Base + offsets[b]);
                    placements[t] = new TensorPlacement(t, b, offsets[b], tensors[t].ByteCount, false);
                }
                else if (tensors[t].IsConstant)
                {
                    pointers[t] = (nint)model.ConstantPointer(t);
                    placements[t] = new TensorPlacement(t, -1, -1, tensors[t].ByteCount, true);
                }
            }

            // A view of a constant is the constant's bytes. Nodes are in execution order, so one pass reaches every chain.
            foreach (NodeDesc node in nodes)
            {
                if (OpRegistry.Get(node.Op).Aliasing == OutputAliasing.View && node.Inputs[0] >= 0 && assignment.TensorBuffer[node.Inputs[0]] < 0)
                {
                    foreach (int o in node.Outputs)
                    {
                        pointers[o] = pointers[node.Inputs[0]];
                        placements[o] = new TensorPlacement(o, -1, -1, tensors[o].ByteCount, true);
                    }
                }
            }

            Placements = placements;
            _pointers = pointers;
            _kernels = new Kernel?[nodes.Count];
            for (int k = 0; k < nodes.Count; k++)
            {
                NodeDesc node = nodes[k];
                Operator op = OpRegistry.Get(node.Op);
                if (op.Aliasing == OutputAliasing.View)
                {
                    continue; // shares its input's bytes
                }

                int s = assignment.NodeScratch[k];
                var inPtrs = new byte*[node.Inputs.Length];
                for (int i = 0; i < inPtrs.Length; i++)
                {
                    inPtrs[i] = node.Inputs[i] >= 0 ? (byte*)pointers[node.Inputs[i]] : null;
                }

                var outPtrs = new byte*[node.Outputs.Length];
                for (int o = 0; o < outPtrs.Length; o++)
                {
                    outPtrs[o] = (byte*)pointers[node.Outputs[o]];
                }

                var ctx = new PlanContext(node, nodeInputs[k], nodeOutputs[k], inPtrs, outPtrs,
                    s >= 0 ? _arena.Base + offsets[s] : null,
                    s >= 0 ? assignment.Buffers[s].Bytes : 0, options, _pool);
                _kernels[k] = op.CreateKernel(ctx);
            }

            _inputs = model.Inputs.Select(i => new SessionTensor(tensors[i], (byte*)pointers[i])).ToArray();
            _outputs = model.Outputs.Select(o => new SessionTensor(tensors[o], (byte*)pointers[o])).ToArray();
        }
        catch
        {
            _pool?.Dispose();
            _arena.Dispose();
            throw;
        }
    }

    public EcnnModel Model { get; }

    public IReadOnlyList<SessionTensor> Inputs => _inputs;

    public IReadOnlyList<SessionTensor> Outputs => _outputs;

    /// <summary>Bytes of the one arena holding all activations and scratch.</summary>
    public long ArenaBytes => _arena.Bytes;

    /// <summary>The most bytes simultaneously live: no placement of these buffers can be smaller.</summary>
    public long ArenaLowerBound { get; }

    public IReadOnlyList<BufferRequest> Buffers { get; }

    public IReadOnlyList<long> BufferOffsets { get; }

    public IReadOnlyList<TensorPlacement> Placements { get; }

    /// <summary>Threads a Run uses (SessionOptions.Threads).</summary>
    public int Threads => _pool?.Threads ?? 1;

    /// <summary>The worker threads (null with one thread); tests read their allocation count.</summary>
    internal Kernels.Threading.WorkerPool? Pool => _pool;

    /// <summary>The kernel chosen for each node (null for views, which run nothing).</summary>
    public IReadOnlyList<Kernel?> Kernels => _kernels;

    /// <summary>Loads, verifies and plans a model file (memory-mapped). The session owns the model.</summary>
    public static InferenceSession Load(string path, SessionOptions? options = null) => Own(EcnnModel.Load(path), options);

    /// <summary>Loads, verifies and plans model bytes. The session owns the model.</summary>
    public static InferenceSession Load(ReadOnlySpan<byte> bytes, SessionOptions? options = null) => Own(EcnnModel.Load(bytes), options);

    public Span<T> Input<T>(int index)
        where T : unmanaged => View<T>(_inputs[index]);

    public ReadOnlySpan<T> Output<T>(int index)
        where T : unmanaged => View<T>(_outputs[index]);

    /// <summary>Runs every kernel once, in order. Allocation-free. Inputs keep their values: Run again and get the same.</summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Kernel?[] kernels = _kernels;
        for (int k = 0; k < kernels.Length; k++)
        {
            kernels[k]?.Run();
        }
    }

    /// <summary>
    /// Runs every node in order like <see cref="Run()"/>, telling <paramref name="observer"/> before and after each node
    /// (views included, though they compute nothing). For profiling per layer and for reading intermediate tensors with
    /// <see cref="TensorBytes"/> from <see cref="IRunObserver.NodeFinished"/>. Allocation-free when the observer is.
    /// </summary>
    public void Run<TObserver>(ref TObserver observer)
        where TObserver : struct, IRunObserver
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Kernel?[] kernels = _kernels;
        for (int k = 0; k < kernels.Length; k++)
        {
            observer.NodeStarting(k);
            kernels[k]?.Run();
            observer.NodeFinished(k);
        }
    }

    /// <summary>
    /// The bytes of any tensor (graph input, output, intermediate or constant) as they are now. An intermediate's bytes hold
    /// its value from the moment its producing node finishes until a later node reuses its buffer: read it in
    /// <see cref="IRunObserver.NodeFinished"/> of the producer. Empty for a tensor that has no storage (an unused one).
    /// </summary>
    public ReadOnlySpan<byte> TensorBytes(int tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(tensor);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(tensor, _pointers.Length);
        nint p = _pointers[tensor];
        return p == 0 ? default : new ReadOnlySpan<byte>((void*)p, checked((int)Model.Tensors[tensor].ByteCount));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pool?.Dispose();
        _arena.Dispose();
        if (_ownsModel)
        {
            Model.Dispose();
        }
    }

    private static InferenceSession Own(EcnnModel model, SessionOptions? options)
    {
        try
        {
            return new InferenceSession(model, options ?? SessionOptions.Default, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private Span<T> View<T>(SessionTensor t)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DataType expected = typeof(T) == typeof(float) ? DataType.Float32
            : typeof(T) == typeof(sbyte) ? DataType.Int8
            : typeof(T) == typeof(int) ? DataType.Int32
            : (DataType)0;
        if (expected != t.Type)
        {
            ThrowTypeMismatch(t);
        }

        return new Span<T>(t.Data, t.ElementCount);
    }

    private static void ThrowTypeMismatch(SessionTensor t) =>
        throw new InvalidOperationException($"tensor '{t.Name}' is {t.Type.Name()}; use float for fp32, sbyte for int8, int for int32");
}
