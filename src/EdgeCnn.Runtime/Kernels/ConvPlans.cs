using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// What every fp32 Conv / Dense kernel is built from: the tensors, the geometry (Dense: Batch = rows, 1x1 spatial,
/// InC = K, OutC = outputs), the fused activation, and the session's worker pool. One plan, many candidate kernels: the
/// kernel table's rows for the op each Accept or refuse it.
/// </summary>
internal sealed class ConvF32Plan(ConvTensors tensors, ConvGeometry geometry, FusedActivationSpec activation, string referenceName,
    WorkerPool? pool)
{
    public ConvTensors Tensors { get; } = tensors;

    public ConvGeometry Geometry { get; } = geometry;

    public FusedActivationSpec Activation { get; } = activation;

    /// <summary>The reference kernel's name for this node (e.g. "f32-conv2d-dw-ref"), more specific than its table row's.</summary>
    public string ReferenceName { get; } = referenceName;

    public WorkerPool? Pool { get; } = pool;

    /// <summary>A plain convolution: one weight set, one bias vector, not transposed (what the fast kernels handle).</summary>
    public bool IsPlain => Geometry.TileD * Geometry.TileH * Geometry.TileW == 1 && !Geometry.BiasPerTile;

    public bool IsDepthwise => Geometry.GroupInC == 1 && Geometry.GroupOutC == 1;
}

/// <summary>What every int8 Conv / Dense kernel is built from (as <see cref="ConvF32Plan"/>, with the requantization).</summary>
internal sealed class ConvS8Plan(ConvTensors tensors, ConvGeometry geometry, Int8Requant requant, string referenceName, WorkerPool? pool)
{
    public ConvTensors Tensors { get; } = tensors;

    public ConvGeometry Geometry { get; } = geometry;

    public Int8Requant Requant { get; } = requant;

    public string ReferenceName { get; } = referenceName;

    public WorkerPool? Pool { get; } = pool;

    public bool IsPlain => Geometry.TileD * Geometry.TileH * Geometry.TileW == 1 && !Geometry.BiasPerTile;

    public bool IsDepthwise => Geometry.GroupInC == 1 && Geometry.GroupOutC == 1;
}
