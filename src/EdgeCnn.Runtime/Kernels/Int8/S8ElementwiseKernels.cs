using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.X86;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>A Quantize node (fp32 -> int8, per tensor): y[i] = quantize(x[i]), i &lt; Count.</summary>
internal sealed unsafe class S8QuantizePlan(float* x, sbyte* y, int count, float scale, int zeroPoint)
{
    public float* X { get; } = x;

    public sbyte* Y { get; } = y;

    public int Count { get; } = count;

    public float Scale { get; } = scale;

    public int ZeroPoint { get; } = zeroPoint;
}

/// <summary>
/// A Dequantize node from int8 (-> fp32). PerTensor is false for per-axis quantization, which the vector rows refuse
/// (the reference handles it).
/// </summary>
internal sealed unsafe class S8DequantizePlan(sbyte* q, float* y, int count, bool perTensor, float scale, int zeroPoint)
{
    public sbyte* Q { get; } = q;

    public float* Y { get; } = y;

    public int Count { get; } = count;

    public bool PerTensor { get; } = perTensor;

    public float Scale { get; } = scale;

    public int ZeroPoint { get; } = zeroPoint;
}

/// <summary>An int8 Add / Sub node; SameShape when a, b and y have one shape (the vector rows' case; broadcasts stay reference).</summary>
internal sealed unsafe class S8AddPlan(sbyte* a, sbyte* b, sbyte* y, int count, bool sameShape, S8AddParams parameters)
{
    public sbyte* A { get; } = a;

    public sbyte* B { get; } = b;

    public sbyte* Y { get; } = y;

    public int Count { get; } = count;

    public bool SameShape { get; } = sameShape;

    public S8AddParams Parameters { get; } = parameters;
}

/// <summary>One int8 concat input: its data, block per outer row, where the block lands, and its requantization if any.</summary>
internal readonly record struct S8ConcatPart(nint Data, int Chunk, int Offset, bool Requantize, int InputZeroPoint, S8Rescale Rescale);

/// <summary>An int8 Concat node viewed as [outer, chunk] per input.</summary>
internal sealed unsafe class S8ConcatPlan(sbyte* y, int outer, int outputChunk, int outputZeroPoint, S8ConcatPart[] parts)
{
    public sbyte* Y { get; } = y;

    public int Outer { get; } = outer;

    public int OutputChunk { get; } = outputChunk;

    public int OutputZeroPoint { get; } = outputZeroPoint;

    public S8ConcatPart[] Parts { get; } = parts;

    public bool AnyRequantize => Array.Exists(Parts, p => p.Requantize);
}

internal sealed unsafe class S8QuantizeKernel(string name, S8QuantizePlan p, bool wide) : Kernel
{
    public override string Name => name;

    public override void Run()
    {
        if (wide)
        {
            S8QuantizeVector.Quantize256(p.X, p.Y, p.Count, p.Scale, p.ZeroPoint);
        }
        else
        {
            S8QuantizeVector.Quantize128(p.X, p.Y, p.Count, p.Scale, p.ZeroPoint);
        }
    }
}

internal sealed unsafe class S8DequantizeKernel(string name, S8DequantizePlan p, bool wide) : Kernel
{
    public override string Name => name;

    public override void Run()
    {
        if (wide)
        {
            S8QuantizeVector.Dequantize256(p.Q, p.Y, p.Count, p.Scale, p.ZeroPoint);
        }
        else
        {
            S8QuantizeVector.Dequantize128(p.Q, p.Y, p.Count, p.Scale, p.ZeroPoint);
        }
    }
}

/// <summary>int8 Add / Sub over same-shaped tensors (y may be a: each element is read before it is written).</summary>
internal sealed unsafe class S8AddKernel(string name, S8AddPlan p, bool avx2) : Kernel
{
    private readonly S8AddParams _parameters = p.Parameters;

    public override string Name => name;

    public override void Run()
    {
        if (avx2)
        {
            S8ElementwiseAvx2.AddRow(p.A, p.B, p.Y, p.Count, _parameters);
        }
        else
        {
            S8ElementwiseVector128.AddRow(p.A, p.B, p.Y, p.Count, _parameters);
        }
    }
}

/// <summary>int8 Concat: parts with the output's quantization are copied, the others requantized by the vector row.</summary>
internal sealed unsafe class S8ConcatKernel(string name, S8ConcatPlan p, bool avx2) : Kernel
{
    public override string Name => name;

    public override void Run()
    {
        foreach (S8ConcatPart part in p.Parts)
        {
            var x = (sbyte*)part.Data;
            sbyte* y = p.Y + part.Offset;
            for (int o = 0; o < p.Outer; o++, x += part.Chunk, y += p.OutputChunk)
            {
                if (!part.Requantize)
                {
                    new ReadOnlySpan<sbyte>(x, part.Chunk).CopyTo(new Span<sbyte>(y, part.Chunk));
                }
                else if (avx2)
                {
                    S8ElementwiseAvx2.RequantizeRow(x, y, part.Chunk, part.InputZeroPoint, p.OutputZeroPoint, part.Rescale);
                }
                else
                {
                    S8ElementwiseVector128.RequantizeRow(x, y, part.Chunk, part.InputZeroPoint, p.OutputZeroPoint, part.Rescale);
                }
            }
        }
    }
}
