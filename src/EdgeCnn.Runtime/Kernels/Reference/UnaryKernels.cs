namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>Reference element-wise unary kernels: a plain loop (fp32) and a 256-entry table lookup (int8).</summary>
public static class UnaryKernels
{
    public static void Float32(ReadOnlySpan<float> input, Span<float> output, Func<float, float> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = f(input[i]);
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
