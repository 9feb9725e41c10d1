using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>The tensors of a convolution-family kernel: raw pointers and element counts, fixed at Plan.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
internal readonly unsafe struct ConvTensors(byte* x, int xCount, byte* w, int wCount, byte* bias, int biasCount, byte* y, int yCount)
{
    public readonly byte* X = x; // [N, spatial..., C] (Dense: [rows, K])
    public readonly int XCount = xCount;
    public readonly byte* W = w; // [sets][O][k...][C / group] (Dense: [O, K])
    public readonly int WCount = wCount;
    public readonly byte* Bias = bias; // [O] or [sets, O]; null when absent
    public readonly int BiasCount = biasCount;
    public readonly byte* Y = y; // [N, spatial..., O] (Dense: [rows, O])
    public readonly int YCount = yCount;
}

/// <summary>fp32 Conv / TiledConv2D / LocallyConnected2D (direct), or ConvTranspose.</summary>
internal sealed unsafe class ConvF32Kernel(string name, ConvTensors t, ConvGeometry g, FusedActivationSpec activation, bool transposed) : Kernel
{
    public override string Name => name;

    public override void Run()
    {
        var x = new ReadOnlySpan<float>(t.X, t.XCount);
        var w = new ReadOnlySpan<float>(t.W, t.WCount);
        var b = new ReadOnlySpan<float>(t.Bias, t.BiasCount);
        var y = new Span<float>(t.Y, t.YCount);
        if (transposed)
        {
            ConvTransposeKernels.Float32(x, w, b, y, g, activation);
        }
        else
        {
            ConvKernels.Float32(x, w, b, y, g, activation);
        }
    }
}

/// <summary>int8 Conv / TiledConv2D / LocallyConnected2D (direct), or ConvTranspose.</summary>
internal sealed unsafe class ConvS8Kernel(string name, ConvTensors t, ConvGeometry g, Int8Requant requant, bool transposed) : Kernel
{
    public override string Name => name;

    public override void Run()
    {
        var x = new ReadOnlySpan<sbyte>(t.X, t.XCount);
        var w = new ReadOnlySpan<sbyte>(t.W, t.WCount);
        var b = new ReadOnlySpan<int>(t.Bias, t.BiasCount);
        var y = new Span<sbyte>(t.Y, t.YCount);
        if (transposed)
        {
            ConvTransposeKernels.Int8(x, w, b, y, g, requant);
        }
        else
        {
            ConvKernels.Int8(x, w, b, y, g, requant);
        }
    }
}

internal sealed unsafe class DenseF32Kernel(ConvTensors t, int rows, int k, int outputs, FusedActivationSpec activation) : Kernel
{
    public override string Name => "f32-dense-ref";

    public override void Run() => DenseKernels.Float32(new ReadOnlySpan<float>(t.X, t.XCount), new ReadOnlySpan<float>(t.W, t.WCount),
        new ReadOnlySpan<float>(t.Bias, t.BiasCount), new Span<float>(t.Y, t.YCount), rows, k, outputs, activation);
}

internal sealed unsafe class DenseS8Kernel(ConvTensors t, int rows, int k, int outputs, Int8Requant requant) : Kernel
{
    public override string Name => "s8-dense-ref";

    public override void Run() => DenseKernels.Int8(new ReadOnlySpan<sbyte>(t.X, t.XCount), new ReadOnlySpan<sbyte>(t.W, t.WCount),
        new ReadOnlySpan<int>(t.Bias, t.BiasCount), new Span<sbyte>(t.Y, t.YCount), rows, k, outputs, requant);
}

internal static unsafe class ConvTensorsFactory
{
    /// <summary>Pointers and element counts of inputs 0..2 and output 0 of a planned node.</summary>
    public static ConvTensors From(PlanContext ctx)
    {
        bool hasBias = ctx.HasInput(2);
        return new ConvTensors(
            ctx.InputPointer(0), checked((int)ctx.Input(0).ElementCount),
            ctx.InputPointer(1), checked((int)ctx.Input(1).ElementCount),
            hasBias ? ctx.InputPointer(2) : null, hasBias ? checked((int)ctx.Input(2).ElementCount) : 0,
            ctx.OutputPointer(0), checked((int)ctx.Output(0).ElementCount));
    }
}
