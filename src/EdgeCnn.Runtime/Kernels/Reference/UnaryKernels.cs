namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>Reference element-wise unary kernels: a plain loop over a function struct (fp32), a 256-entry table lookup (int8).</summary>
public static class UnaryKernels
{
    /// <summary>output[i] = f(input[i]). In place is fine: each element is read before it is written.</summary>
    public static void Float32<TFunction>(ReadOnlySpan<float> input, Span<float> output, TFunction f)
        where TFunction : struct, IUnaryFunction
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = f.Invoke(input[i]);
        }
    }

    /// <summary>output[i] = table[input[i] + 128]. In place is fine: each element is read before it is written.</summary>
    public static void Int8Lookup(ReadOnlySpan<sbyte> input, Span<sbyte> output, ReadOnlySpan<sbyte> table)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = table[input[i] + 128];
        }
    }
}
