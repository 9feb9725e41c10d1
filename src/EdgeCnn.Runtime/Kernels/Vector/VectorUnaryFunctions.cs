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

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.MinNative(Vector128.Create(max), Vector128.MaxNative(Vector128.Create(min), x));

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.MinNative(Vector256.Create(max), Vector256.MaxNative(Vector256.Create(min), x));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.MinNative(Vector512.Create(max), Vector512.MaxNative(Vector512.Create(min), x));
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

/// <summary>1 / (1 + e^-x): e^-x overflows to +inf for x &lt; -88, giving exactly 0, so no range split is needed.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct SigmoidVector : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.Sigmoid(x);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));

    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
}

/// <summary>x * sigmoid(x).</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct SiluVector : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.Silu(x);

    public Vector128<float> Invoke(Vector128<float> x) => x * default(SigmoidVector).Invoke(x);

    public Vector256<float> Invoke(Vector256<float> x) => x * default(SigmoidVector).Invoke(x);

    public Vector512<float> Invoke(Vector512<float> x) => x * default(SigmoidVector).Invoke(x);
}

/// <summary>
/// sign(x) (1 - e) / (1 + e) with e = e^(-2|x|) in (0, 1]: no overflow at any x. Near 0 the numerator cancels to an absolute
/// error of about 1e-7, far inside the fp32 kernel tolerance (1e-5 absolute).
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct TanhVector : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.Tanh(x);

    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> e = Vector128.Exp(Vector128.Abs(x) * -2f);
        return Vector128.CopySign((Vector128<float>.One - e) / (Vector128<float>.One + e), x);
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> e = Vector256.Exp(Vector256.Abs(x) * -2f);
        return Vector256.CopySign((Vector256<float>.One - e) / (Vector256<float>.One + e), x);
    }

    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> e = Vector512.Exp(Vector512.Abs(x) * -2f);
        return Vector512.CopySign((Vector512<float>.One - e) / (Vector512<float>.One + e), x);
    }
}

[StructLayout(LayoutKind.Auto)]
internal readonly struct ExpVector : IVectorUnaryF32
{
    public float Invoke(float x) => ScalarFunctions.Exp(x);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Exp(x);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(x);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Exp(x);
}
