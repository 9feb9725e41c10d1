using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>
/// An fp32 element-wise function at every width (TensorPrimitives' operator pattern): scalar for tails, Vector128/256/512 for
/// the body. Structs carry their attributes; <see cref="VectorUnaryDriver"/> owns the loops and tails.
/// </summary>
internal interface IVectorUnaryF32
{
    float Invoke(float x);

    Vector128<float> Invoke(Vector128<float> x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>The vector width a kernel was planned for: which Invoke overload carries the body.</summary>
internal enum VectorWidth
{
    Scalar = 1,
    V128 = 4,
    V256 = 8,
    V512 = 16,
}

/// <summary>The one loop over an fp32 span for every element-wise function: full vectors of the planned width, then scalars.</summary>
internal static unsafe class VectorUnaryDriver
{
    /// <summary>y[i] = f(x[i]) for i &lt; n. x and y may be the same memory (each element is read before it is written).</summary>
    public static void Apply<TFunction>(float* x, float* y, nint n, TFunction f, VectorWidth width)
        where TFunction : struct, IVectorUnaryF32
    {
        nint i = 0;
        switch (width)
        {
            case VectorWidth.V512:
                for (; i <= n - 16; i += 16)
                {
                    f.Invoke(Vector512.Load(x + i)).Store(y + i);
                }

                break;
            case VectorWidth.V256:
                for (; i <= n - 32; i += 32)
                {
                    // Four independent vectors per step: transcendental bodies are long dependency chains.
                    Vector256<float> v0 = f.Invoke(Vector256.Load(x + i)), v1 = f.Invoke(Vector256.Load(x + i + 8));
                    Vector256<float> v2 = f.Invoke(Vector256.Load(x + i + 16)), v3 = f.Invoke(Vector256.Load(x + i + 24));
                    v0.Store(y + i);
                    v1.Store(y + i + 8);
                    v2.Store(y + i + 16);
                    v3.Store(y + i + 24);
                }

                for (; i <= n - 8; i += 8)
                {
                    f.Invoke(Vector256.Load(x + i)).Store(y + i);
                }

                break;
            case VectorWidth.V128:
                for (; i <= n - 4; i += 4)
                {
                    f.Invoke(Vector128.Load(x + i)).Store(y + i);
                }

                break;
        }

        for (; i < n; i++)
        {
            y[i] = f.Invoke(x[i]);
        }
    }
}
