using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>An fp32 unary activation node: y[i] = f(x[i]), i &lt; Count; the node's attributes give f's parameters.</summary>
internal sealed unsafe class UnaryF32Plan(float* x, float* y, int count, NodeContext node)
{
    public float* X { get; } = x;

    public float* Y { get; } = y;

    public int Count { get; } = count;

    public NodeContext Node { get; } = node;
}

/// <summary>An fp32 pooling node over [N, spatial..., C] (the reference geometry, resolved at Plan).</summary>
internal sealed unsafe class PoolF32Plan(PoolKind kind, float* x, float* y, PoolGeometry geometry, bool countIncludePad)
{
    public PoolKind Kind { get; } = kind;

    public float* X { get; } = x;

    public float* Y { get; } = y;

    public PoolGeometry Geometry { get; } = geometry;

    public bool CountIncludePad { get; } = countIncludePad;
}

/// <summary>An fp32 Softmax / LogSoftmax node viewed as [outer, length, inner].</summary>
internal sealed unsafe class SoftmaxF32Plan(float* x, float* y, int outer, int length, int inner, bool log)
{
    public float* X { get; } = x;

    public float* Y { get; } = y;

    public int Outer { get; } = outer;

    public int Length { get; } = length;

    public int Inner { get; } = inner;

    public bool Log { get; } = log;
}

/// <summary>
/// An fp32 binary node. BLength is how many b values repeat along y: Count (same shape), the last dim (a per-channel vector
/// broadcast over every pixel), 1 (a scalar); 0 when the broadcast is any other (the reference walks it).
/// </summary>
internal sealed unsafe class BinaryF32Plan(float* a, float* b, float* y, int count, int bLength, bool aIsFull)
{
    public float* A { get; } = a;

    public float* B { get; } = b;

    public float* Y { get; } = y;

    public int Count { get; } = count;

    public int BLength { get; } = bLength;

    /// <summary>a has y's shape (b is the only broadcast input).</summary>
    public bool AIsFull { get; } = aIsFull;
}

/// <summary>
/// An fp32 BatchNorm node folded at Plan to a per-channel affine map over NHWC: y[p, c] = A[c] * x[p, c] + B[c] (the
/// reference's fold, in double), over Count / A.Length pixels.
/// </summary>
internal sealed unsafe class BatchNormF32Plan(float* x, float* y, int count, float[] a, float[] b)
{
    public float* X { get; } = x;

    public float* Y { get; } = y;

    public int Count { get; } = count;

    public float[] A { get; } = a;

    public float[] B { get; } = b;
}
