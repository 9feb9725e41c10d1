using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>fp32 pooling (max, average or Lp) through the reference kernels; every constant was resolved at Plan.</summary>
internal sealed unsafe class PoolF32Kernel(string name, PoolKind kind, float* input, int inputCount, float* output, int outputCount,
    PoolGeometry geometry, bool countIncludePad, int p) : Kernel
{
    public override string Name => name;

    public override void Run()
    {
        var x = new ReadOnlySpan<float>(input, inputCount); // [N, spatial.., C]
        var y = new Span<float>(output, outputCount);       // [N, out spatial.., C]
        switch (kind)
        {
            case PoolKind.Max:
                PoolKernels.MaxFloat32(x, y, geometry);
                break;
            case PoolKind.Average:
                PoolKernels.AverageFloat32(x, y, geometry, countIncludePad);
                break;
            default:
                PoolKernels.LpFloat32(x, y, geometry, p);
                break;
        }
    }
}

/// <summary>int8 max pool: max of q, then fixed-point requantization M = s_x / s_y.</summary>
internal sealed unsafe class MaxPoolS8Kernel(string name, sbyte* input, int inputCount, sbyte* output, int outputCount,
    PoolGeometry geometry, int inZeroPoint, int outZeroPoint, int multiplier, int shift) : Kernel
{
    public override string Name => name;

    public override void Run() => PoolKernels.MaxInt8(new ReadOnlySpan<sbyte>(input, inputCount), new Span<sbyte>(output, outputCount),
        geometry, inZeroPoint, outZeroPoint, multiplier, shift);
}

/// <summary>int8 average pool: integer window sum, then the multiplier M_n = s_x / (s_y * n) of its divisor n.</summary>
internal sealed unsafe class AveragePoolS8Kernel(string name, sbyte* input, int inputCount, sbyte* output, int outputCount,
    PoolGeometry geometry, bool countIncludePad, int inZeroPoint, int outZeroPoint, int[] multipliers, int[] shifts) : Kernel
{
    public override string Name => name;

    public override void Run() => PoolKernels.AverageInt8(new ReadOnlySpan<sbyte>(input, inputCount),
        new Span<sbyte>(output, outputCount), geometry, countIncludePad, inZeroPoint, outZeroPoint, multipliers, shifts);
}

/// <summary>int8 Lp pool via fp32.</summary>
internal sealed unsafe class LpPoolS8Kernel(string name, sbyte* input, int inputCount, sbyte* output, int outputCount,
    PoolGeometry geometry, int p, float inScale, int inZeroPoint, float outScale, int outZeroPoint) : Kernel
{
    public override string Name => name;

    public override void Run() => PoolKernels.LpInt8(new ReadOnlySpan<sbyte>(input, inputCount), new Span<sbyte>(output, outputCount),
        geometry, p, inScale, inZeroPoint, outScale, outZeroPoint);
}
