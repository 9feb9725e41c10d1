namespace EdgeCnn.Bench.OnnxRuntime;

/// <summary>
/// An input or output of a model as ONNX Runtime reports it. <see cref="Shape"/> has -1 for a symbolic (dynamic)
/// dimension. <see cref="OnnxElementType"/> is ONNX's element type number, also for types this binding does not move;
/// <see cref="ElementType"/> is null for those and for values that are not tensors.
/// </summary>
public sealed record OrtTensorInfo(string Name, bool IsTensor, int OnnxElementType, IReadOnlyList<long> Shape)
{
    public OrtElementType? ElementType =>
        IsTensor && OrtElementTypes.IsSupported(OnnxElementType) ? (OrtElementType)OnnxElementType : null;

    /// <summary>True when every dimension is known (no symbolic dimension).</summary>
    public bool IsStatic => Shape.All(d => d >= 0);

    public override string ToString() =>
        !IsTensor ? $"{Name} (not a tensor)"
        : $"{Name} {(ElementType is { } t ? OrtElementTypes.Name(t) : $"element type {OnnxElementType}")}{OrtTensor.ShapeText(Shape.ToArray())}";
}

/// <summary>How ONNX Runtime plans a session. Inter-op threads are always 1 and execution is always ORT_SEQUENTIAL.</summary>
public sealed class OrtSessionSettings
{
    public static OrtSessionSettings Default { get; } = new();

    /// <summary>Intra-op threads (SetIntraOpNumThreads), set explicitly so comparisons use the same count. 1 by default.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>ONNX Runtime's graph optimization level (SetSessionGraphOptimizationLevel). All by default, as deployed.</summary>
    public Native.OrtGraphOptimization Optimization { get; init; } = Native.OrtGraphOptimization.All;

    /// <summary>Extra session configuration entries (AddSessionConfigEntry), e.g. "session.intra_op.allow_spinning" = "0".</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
