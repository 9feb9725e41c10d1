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

/// <summary>An int8 unary node defined by its 256-entry table (activations: table[q + 128] = quantize_y(f(dequantize_x(q)))).</summary>
internal sealed unsafe class S8LutPlan(sbyte* x, sbyte* y, int count, sbyte[] table)
{
    public sbyte* X { get; } = x;

    public sbyte* Y { get; } = y;     // may be the bytes of X

    public int Count { get; } = count;

    public sbyte[] Table { get; } = table;
}

/// <summary>An int8 table lookup on AVX2 (<see cref="S8LutAvx2"/>) or Vector128 (<see cref="S8LutVector128"/>); the slices are laid out at Plan.</summary>
internal sealed unsafe class S8LutKernel(string name, S8LutPlan p, bool avx2) : Kernel
{
    private readonly byte[] _slices = S8LutAvx2.Slices(p.Table); // pinned

    public override string Name => name;

    public override void Run()
    {
        fixed (byte* slices = _slices)
        {
            if (avx2)
            {
                S8LutAvx2.Run(p.X, p.Y, p.Count, slices);
            }
            else
            {
                S8LutVector128.Run(p.X, p.Y, p.Count, slices);
            }
        }
    }
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

/// <summary>
/// int8 Concat: parts with the output's quantization are copied, the others requantized by the vector row. A part whose
/// block per outer row is short (a few channels concatenated over many pixels or anchors) would pay a call and a vector
/// tail for every few bytes: it goes through a 256-entry table of that part's requantization instead, filled at Plan by
/// the same vector row over all 256 inputs, so the result is the vector row's (bit-exact with the reference) by construction.
/// </summary>
internal sealed unsafe class S8ConcatKernel : Kernel
{
    /// <summary>Blocks shorter than this (bytes) use the table or a plain byte loop.</summary>
    internal const int ShortChunk = 16;

    private readonly string _name;
    private readonly S8ConcatPlan _p;
    private readonly bool _avx2;
    private readonly sbyte[]?[] _tables; // [part]: requantization of every int8 input, for short requantizing parts

    public S8ConcatKernel(string name, S8ConcatPlan p, bool avx2)
    {
        ArgumentNullException.ThrowIfNull(p);
        _name = name;
        _p = p;
        _avx2 = avx2;
        _tables = new sbyte[]?[p.Parts.Length];
        for (int i = 0; i < p.Parts.Length; i++)
        {
            S8ConcatPart part = p.Parts[i];
            if (part.Requantize && part.Chunk < ShortChunk)
            {
                sbyte[] all = new sbyte[256], table = new sbyte[256];
                for (int v = 0; v < 256; v++)
                {
                    all[v] = (sbyte)(v - 128);
                }

                fixed (sbyte* x = all, y = table)
                {
                    Requantize(x, y, 256, part, p.OutputZeroPoint, avx2);
                }

                _tables[i] = table;
            }
        }
    }

    public override string Name => _name;

    public override void Run()
    {
        S8ConcatPlan p = _p;
        for (int i = 0; i < p.Parts.Length; i++)
        {
            S8ConcatPart part = p.Parts[i];
            var x = (sbyte*)part.Data;
            sbyte* y = p.Y + part.Offset;
            int chunk = part.Chunk;
            if (chunk < ShortChunk)
            {
                if (_tables[i] is not { } table)
                {
                    for (int o = 0; o < p.Outer; o++, x += chunk, y += p.OutputChunk)
                    {
                        for (int k = 0; k < chunk; k++)
                        {
                            y[k] = x[k];
                        }
                    }

                    continue;
                }

                fixed (sbyte* t = table)
                {
                    sbyte* lut = t + 128; // indexed by the signed input
                    for (int o = 0; o < p.Outer; o++, x += chunk, y += p.OutputChunk)
                    {
                        for (int k = 0; k < chunk; k++)
                        {
                            y[k] = lut[x[k]];
                        }
                    }
                }

                continue;
            }

            for (int o = 0; o < p.Outer; o++, x += chunk, y += p.OutputChunk)
            {
                if (!part.Requantize)
                {
                    new ReadOnlySpan<sbyte>(x, chunk).CopyTo(new Span<sbyte>(y, chunk));
                }
                else
                {
                    Requantize(x, y, chunk, part, p.OutputZeroPoint, _avx2);
                }
            }
        }
    }

    private static void Requantize(sbyte* x, sbyte* y, int count, in S8ConcatPart part, int outputZeroPoint, bool avx2)
    {
        if (avx2)
        {
            S8ElementwiseAvx2.RequantizeRow(x, y, count, part.InputZeroPoint, outputZeroPoint, part.Rescale);
        }
        else
        {
            S8ElementwiseVector128.RequantizeRow(x, y, count, part.InputZeroPoint, outputZeroPoint, part.Rescale);
        }
    }
}
