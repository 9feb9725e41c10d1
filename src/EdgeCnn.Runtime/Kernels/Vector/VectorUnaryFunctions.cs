using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Vector;

// The vector forms of Reference/UnaryFunctions.cs. Min/Max are the IEEE 754:2019 forms (NaN propagates), as MathF.Min/Max in
// the reference; the scalar overloads call the reference's own math so that tails match the spec exactly.

[StructLayout(LayoutKind.Auto)]
internal readonly struct ReluVector : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.Relu(x);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128<float>.Zero, x);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512<float>.Zero, x);
}

[StructLayout(LayoutKind.Auto)]
internal readonly struct ClipVector(float min, float max) : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.Clip(x, min, max);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Min(Vector128.Max(x, Vector128.Create(min)), Vector128.Create(max));

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(min)), Vector256.Create(max));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512.Create(min)), Vector512.Create(max));
}

[StructLayout(LayoutKind.Auto)]
internal readonly struct LeakyReluVector(float alpha) : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.LeakyRelu(x, alpha);

    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), x, x * alpha);

    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, x * alpha);

    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), x, x * alpha);
}

/// <summary>x * min(max(x / 6 + 0.5, 0), 1), as the reference computes it.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct HardSwishVector : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.HardSwish(x);

    public Vector128<float> Invoke(Vector128<float> x) =>
        x * Vector128.Max(Vector128<float>.Zero, Vector128.Min(Vector128<float>.One, (x / 6f) + Vector128.Create(0.5f)));

    public Vector256<float> Invoke(Vector256<float> x) =>
        x * Vector256.Max(Vector256<float>.Zero, Vector256.Min(Vector256<float>.One, (x / 6f) + Vector256.Create(0.5f)));

    public Vector512<float> Invoke(Vector512<float> x) =>
        x * Vector512.Max(Vector512<float>.Zero, Vector512.Min(Vector512<float>.One, (x / 6f) + Vector512.Create(0.5f)));
}

/// <summary>min(max(alpha x + beta, 0), 1).</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct HardSigmoidVector(float alpha, float beta) : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.HardSigmoid(x, alpha, beta);

    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.Max(Vector128<float>.Zero, Vector128.Min(Vector128<float>.One, (x * alpha) + Vector128.Create(beta)));

    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.Max(Vector256<float>.Zero, Vector256.Min(Vector256<float>.One, (x * alpha) + Vector256.Create(beta)));

    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Max(Vector512<float>.Zero, Vector512.Min(Vector512<float>.One, (x * alpha) + Vector512.Create(beta)));
}
