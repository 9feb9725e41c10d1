using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// An element-wise function as a readonly struct carrying its attributes: the kernel is generic over it, so Run calls it
/// directly (no delegate, no closure) and the SIMD kernels can add Vector128/256/512 forms of the same struct.
/// </summary>
public interface IUnaryFunction
{
    float Invoke(float x);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct ReluFunction : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Relu(x);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct ClipFunction(float min, float max) : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Clip(x, min, max);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct LeakyReluFunction(float alpha) : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.LeakyRelu(x, alpha);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct EluFunction(float alpha) : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Elu(x, alpha);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct SeluFunction(float alpha, float gamma) : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Selu(x, alpha, gamma);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct SigmoidFunction : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Sigmoid(x);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct TanhFunction : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Tanh(x);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct SoftplusFunction : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Softplus(x);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct HardSigmoidFunction(float alpha, float beta) : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.HardSigmoid(x, alpha, beta);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct HardSwishFunction : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.HardSwish(x);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct ExpFunction : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Exp(x);
}

[StructLayout(LayoutKind.Auto)]
public readonly struct SiluFunction : IUnaryFunction
{
    public float Invoke(float x) => ScalarFunctions.Silu(x);
}
