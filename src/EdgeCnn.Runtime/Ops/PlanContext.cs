using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Everything an operator needs to build its kernel: the node, its tensors, and where each tensor's bytes live
/// (arena or model file). Pointers are final: the arena is allocated before any kernel is created.
/// </summary>
public sealed unsafe class PlanContext : NodeContext
{
    private readonly byte*[] _inputPointers;
    private readonly byte*[] _outputPointers;

    public PlanContext(NodeDesc node, TensorDesc?[] inputs, TensorDesc[] outputs, byte*[] inputPointers, byte*[] outputPointers,
        byte* scratch, long scratchBytes, SessionOptions? options = null, Kernels.Threading.WorkerPool? pool = null)
        : base(node, inputs)
    {
        Options = options ?? SessionOptions.Default;
        Pool = pool;
        Outputs = outputs;
        _inputPointers = inputPointers;
        _outputPointers = outputPointers;
        Scratch = scratch;
        ScratchBytes = scratchBytes;
    }

    public TensorDesc[] Outputs { get; }

    /// <summary>The session's options: thread count and kernel restrictions.</summary>
    public SessionOptions Options { get; }

    /// <summary>The session's worker threads (null when it runs on the caller's thread only).</summary>
    public Kernels.Threading.WorkerPool? Pool { get; }

    public TensorDesc Output(int i) => Outputs[i];

    public byte* Scratch { get; }

    public long ScratchBytes { get; }

    public byte* InputPointer(int i) => _inputPointers[i];

    public byte* OutputPointer(int i) => _outputPointers[i];

    /// <summary>A constant input's data (weights), read at Plan to pack or precompute.</summary>
    public ReadOnlySpan<T> ConstantInput<T>(int i)
        where T : unmanaged
    {
        TensorDesc t = Input(i);
        if (!t.IsConstant)
        {
            throw new InvalidOperationException($"input {i} is not constant");
        }

        return new ReadOnlySpan<T>(_inputPointers[i], checked((int)(t.DataBytes / sizeof(T))));
    }
}
