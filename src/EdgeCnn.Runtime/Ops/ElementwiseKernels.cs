using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>fp32 unary kernel over a function struct configured at Plan.</summary>
internal sealed unsafe class UnaryF32Kernel<TFunction>(string name, float* input, float* output, int count, TFunction f) : Kernel
    where TFunction : struct, IUnaryFunction
{
    public override string Name => name;

    public override void Run() => UnaryKernels.Float32(new ReadOnlySpan<float>(input, count), new Span<float>(output, count), f);
}

/// <summary>int8 unary kernel: one table lookup per element (table built at Plan).</summary>
internal sealed unsafe class UnaryS8LookupKernel(string name, sbyte* input, sbyte* output, int count, sbyte[] table) : Kernel
{
    public override string Name => name;

    public override void Run() => UnaryKernels.Int8Lookup(new ReadOnlySpan<sbyte>(input, count), new Span<sbyte>(output, count), table);
}
