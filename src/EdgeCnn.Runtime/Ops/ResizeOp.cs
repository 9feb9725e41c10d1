using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// ONNX Resize to Sizes (every dim) with Mode nearest or linear (N-linear over every axis whose coordinates move, e.g. H and
/// W of NHWC), CoordinateMode (half_pixel default), NearestMode (round_prefer_floor default) and optional Scales (one per
/// axis; used by the coordinate transform, else out/in). int8: nearest copies (quantization kept); linear via fp32.
/// </summary>
internal sealed class ResizeOperator : Operator
{
    public override OpCode Code => OpCode.Resize;

    public override int MinInputs => 1;

    public override int MaxInputs => 1;

    public override IReadOnlyList<AttributeKey> Attributes { get; } =
        [AttributeKey.Sizes, AttributeKey.Scales, AttributeKey.Mode, AttributeKey.CoordinateMode, AttributeKey.NearestMode];

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ShapeRules.RequireData(ctx, 0);
        int r = x.Shape.Length;
        int[] sizes = ctx.Ints(AttributeKey.Sizes, null) ?? throw ctx.Fail("attribute Sizes is required");
        if (sizes.Length != r)
        {
            throw ctx.Fail($"sizes {ShapeMath.Format(sizes)} has {sizes.Length} values; the input has rank {r}");
        }

        if (r > ResizeKernels.MaxRank)
        {
            throw ctx.Fail($"resize supports rank up to {ResizeKernels.MaxRank}");
        }

        for (int d = 0; d < r; d++)
        {
            // Plan builds per-axis index tables whose lengths add up over the axes: bounded, they cannot overflow.
            SpatialGeometry.RequireExtent(ctx, d, ("output size", sizes[d]));
        }

        float[]? scales = ctx.Floats(AttributeKey.Scales, null);
        if (scales is not null)
        {
            if (scales.Length != r)
            {
                throw ctx.Fail($"scales has {scales.Length} values; the input has rank {r}");
            }

            foreach (float s in scales)
            {
                if (!float.IsFinite(s) || s <= 0f)
                {
                    throw ctx.Fail($"scale {s} must be finite and > 0");
                }
            }
        }

        int mode = ctx.Int(AttributeKey.Mode, (int)ResizeMode.Nearest);
        if (mode is < 0 or > 1)
        {
            throw ctx.Fail($"resize mode {mode} is unknown (0 nearest, 1 linear)");
        }

        int coordinate = ctx.Int(AttributeKey.CoordinateMode, (int)ResizeCoordinateMode.HalfPixel);
        if (coordinate is < 0 or > 3)
        {
            throw ctx.Fail($"coordinate mode {coordinate} is unknown (0 half_pixel, 1 asymmetric, 2 align_corners, 3 pytorch_half_pixel)");
        }

        int nearest = ctx.Int(AttributeKey.NearestMode, (int)ResizeNearestMode.RoundPreferFloor);
        if (nearest is < 0 or > 3)
        {
            throw ctx.Fail($"nearest mode {nearest} is unknown (0 round_prefer_floor, 1 round_prefer_ceil, 2 floor, 3 ceil)");
        }

        if (mode == (int)ResizeMode.Nearest)
        {
            ShapeRules.RequireSameQuantization(ctx, x); // nearest copies values: it cannot change their quantization
        }

        ctx.SetOutput(0, x.Type, (int[])sizes.Clone());
    }

    public override unsafe Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0), y = ctx.Output(0);
        int[] inShape = x.Shape, outShape = y.Shape;
        float[]? scales = ctx.Floats(AttributeKey.Scales, null);
        int mode = ctx.Int(AttributeKey.Mode, (int)ResizeMode.Nearest);
        int coordinate = ctx.Int(AttributeKey.CoordinateMode, (int)ResizeCoordinateMode.HalfPixel);
        int nearest = ctx.Int(AttributeKey.NearestMode, (int)ResizeNearestMode.RoundPreferFloor);
        int total = 0;
        foreach (int d in outShape)
        {
            total += d;
        }

        string coordName = ((ResizeCoordinateMode)coordinate).ToString().ToLowerInvariant();
        int offset = 0;
        if (mode == (int)ResizeMode.Nearest)
        {
            var source = new int[total];
            for (int d = 0; d < inShape.Length; d++)
            {
                ResizeTables.Nearest(source.AsSpan(offset, outShape[d]), inShape[d], Scale(scales, inShape, outShape, d), coordinate, nearest);
                offset += outShape[d];
            }

            return x.Type == DataType.Float32
                ? new ResizeNearestKernel<float>($"f32-resize-nearest-{coordName}-ref", (float*)ctx.InputPointer(0), (float*)ctx.OutputPointer(0),
                    inShape, outShape, source)
                : new ResizeNearestKernel<sbyte>($"s8-resize-nearest-{coordName}-ref", (sbyte*)ctx.InputPointer(0), (sbyte*)ctx.OutputPointer(0),
                    inShape, outShape, source);
        }

        var low = new int[total];
        var high = new int[total];
        var weight = new float[total];
        for (int d = 0; d < inShape.Length; d++)
        {
            ResizeTables.Linear(low.AsSpan(offset, outShape[d]), high.AsSpan(offset, outShape[d]), weight.AsSpan(offset, outShape[d]), inShape[d],
                Scale(scales, inShape, outShape, d), coordinate);
            offset += outShape[d];
        }

        return new ResizeLinearKernel($"{(x.Type == DataType.Float32 ? "f32" : "s8")}-resize-linear-{coordName}-ref", x, y,
            (nint)ctx.InputPointer(0), (nint)ctx.OutputPointer(0), low, high, weight);
    }

    private static double Scale(float[]? scales, int[] inShape, int[] outShape, int d) =>
        scales is not null ? scales[d] : (double)outShape[d] / inShape[d];
}

/// <summary>Nearest resize of fp32 or int8 data (a gather through the per-axis index tables).</summary>
internal sealed unsafe class ResizeNearestKernel<T>(string name, T* input, T* output, int[] inShape, int[] outShape, int[] source) : Kernel
    where T : unmanaged
{
    private readonly int _inCount = (int)ShapeMath.ElementCount(inShape);
    private readonly int _outCount = (int)ShapeMath.ElementCount(outShape);

    public override string Name => name;

    public override void Run() =>
        ResizeKernels.Nearest(new ReadOnlySpan<T>(input, _inCount), new Span<T>(output, _outCount), inShape, outShape, source);
}

/// <summary>N-linear resize: fp32 directly, int8 via fp32 with the input's and output's quantization.</summary>
internal sealed unsafe class ResizeLinearKernel : Kernel
{
    private readonly string _name;
    private readonly bool _int8;
    private readonly nint _input;
    private readonly nint _output;
    private readonly int[] _inShape;
    private readonly int[] _outShape;
    private readonly int _inCount;
    private readonly int _outCount;
    private readonly int[] _low;
    private readonly int[] _high;
    private readonly float[] _weight;
    private readonly float _inScale;
    private readonly int _inZeroPoint;
    private readonly float _outScale;
    private readonly int _outZeroPoint;

    public ResizeLinearKernel(string name, TensorDesc x, TensorDesc y, nint input, nint output, int[] low, int[] high, float[] weight)
    {
        _name = name;
        _int8 = x.Type == DataType.Int8;
        _input = input;
        _output = output;
        _inShape = x.Shape;
        _outShape = y.Shape;
        _inCount = (int)x.ElementCount;
        _outCount = (int)y.ElementCount;
        _low = low;
        _high = high;
        _weight = weight;
        if (_int8)
        {
            (_inScale, _inZeroPoint) = (x.Quantization!.Scale, x.Quantization.ZeroPoint);
            (_outScale, _outZeroPoint) = (y.Quantization!.Scale, y.Quantization.ZeroPoint);
        }
    }

    public override string Name => _name;

    public override void Run()
    {
        if (_int8)
        {
            ResizeKernels.LinearInt8(new ReadOnlySpan<sbyte>((void*)_input, _inCount), new Span<sbyte>((void*)_output, _outCount), _inShape, _outShape,
                _low, _high, _weight, _inScale, _inZeroPoint, _outScale, _outZeroPoint);
        }
        else
        {
            ResizeKernels.Linear(new ReadOnlySpan<float>((void*)_input, _inCount), new Span<float>((void*)_output, _outCount), _inShape, _outShape,
                _low, _high, _weight);
        }
    }
}
