using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Output size and resolved padding of a sliding window over r spatial axes (convolution and pooling), with ONNX's rules:
/// explicit pads or auto_pad SAME_UPPER / SAME_LOWER / VALID, dilation, and ceil_mode (a last window must start inside the
/// input or its begin padding).
/// </summary>
public sealed class SpatialGeometry
{
    /// <summary>
    /// The largest stride, dilation, kernel size, pad, dilated window or padded input extent on one axis (2^26). Kernels
    /// index with int arithmetic such as o * stride - pad + t * dilation; with every term at most 2^26 no sum of a few of
    /// them can wrap, so a hostile file cannot steer an index out of range.
    /// </summary>
    public const int MaxExtent = 1 << 26;
    private SpatialGeometry(int[] input, int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd, int[] output)
    {
        Input = input;
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        PadBegin = padBegin;
        PadEnd = padEnd;
        Output = output;
    }

    public int Rank => Input.Length;

    public int[] Input { get; }

    public int[] Kernel { get; }

    public int[] Strides { get; }

    public int[] Dilations { get; }

    public int[] PadBegin { get; }

    public int[] PadEnd { get; }

    public int[] Output { get; }

    /// <summary>Reads Strides, Dilations, Pads, PadMode (and CeilMode when allowed) from the node and resolves the geometry.</summary>
    public static SpatialGeometry FromNode(NodeContext ctx, int[] inputSpatial, int[] kernel, bool allowCeilMode)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int r = inputSpatial.Length;
        int[] strides = Ones(ctx.Ints(AttributeKey.Strides, null), r, "strides", ctx);
        int[] dilations = Ones(ctx.Ints(AttributeKey.Dilations, null), r, "dilations", ctx);
        int[] pads = ctx.Ints(AttributeKey.Pads, null) ?? new int[2 * r];
        if (pads.Length != 2 * r)
        {
            throw ctx.Fail($"pads has {pads.Length} values; {2 * r} expected (begin of each spatial axis, then end)");
        }

        int modeValue = ctx.Int(AttributeKey.PadMode, (int)PadMode.Explicit);
        if (modeValue is < 0 or > 3)
        {
            throw ctx.Fail($"pad mode {modeValue} is unknown (0 explicit, 1 same_upper, 2 same_lower, 3 valid)");
        }

        int ceil = allowCeilMode ? ctx.Int(AttributeKey.CeilMode, 0) : 0;
        if (ceil is not (0 or 1))
        {
            throw ctx.Fail($"ceil mode must be 0 or 1, is {ceil}");
        }

        var mode = (PadMode)modeValue;
        var begin = new int[r];
        var end = new int[r];
        var output = new int[r];
        for (int d = 0; d < r; d++)
        {
            if (kernel[d] < 1)
            {
                throw ctx.Fail($"kernel size {kernel[d]} on spatial axis {d} must be >= 1");
            }

            if (strides[d] < 1 || dilations[d] < 1)
            {
                throw ctx.Fail($"stride {strides[d]} and dilation {dilations[d]} on spatial axis {d} must be >= 1");
            }

            if (mode == PadMode.Explicit && (pads[d] < 0 || pads[r + d] < 0))
            {
                throw ctx.Fail($"pads on spatial axis {d} must be >= 0, are {pads[d]} and {pads[r + d]}");
            }

            long effectiveKernel = ((long)(kernel[d] - 1) * dilations[d]) + 1;
            long inSize = inputSpatial[d];
            RequireExtent(ctx, d, ("kernel", kernel[d]), ("stride", strides[d]), ("dilation", dilations[d]), ("dilated window", effectiveKernel),
                ("begin pad", mode == PadMode.Explicit ? pads[d] : 0), ("end pad", mode == PadMode.Explicit ? pads[r + d] : 0),
                ("padded input", inSize + effectiveKernel + (mode == PadMode.Explicit ? (long)pads[d] + pads[r + d] : 0)));
            long outSize;
            switch (mode)
            {
                case PadMode.SameUpper:
                case PadMode.SameLower:
                {
                    outSize = (inSize + strides[d] - 1) / strides[d];
                    long total = Math.Max(0, ((outSize - 1) * strides[d]) + effectiveKernel - inSize);
                    long small = total / 2, large = total - small;
                    begin[d] = (int)(mode == PadMode.SameUpper ? small : large);
                    end[d] = (int)(mode == PadMode.SameUpper ? large : small);
                    break;
                }

                case PadMode.Valid:
                    outSize = inSize >= effectiveKernel ? ((inSize - effectiveKernel) / strides[d]) + 1 : 0;
                    break;
                default:
                {
                    begin[d] = pads[d];
                    end[d] = pads[r + d];
                    long span = inSize + begin[d] + end[d] - effectiveKernel;
                    if (span < 0)
                    {
                        outSize = 0;
                        break;
                    }

                    outSize = ceil == 1 ? ((span + strides[d] - 1) / strides[d]) + 1 : (span / strides[d]) + 1;
                    if (ceil == 1 && (outSize - 1) * strides[d] >= inSize + begin[d])
                    {
                        outSize--; // the last window would start in the end padding
                    }

                    break;
                }
            }

            if (outSize < 1 || outSize > int.MaxValue)
            {
                throw ctx.Fail($"spatial axis {d}: input {inSize}, kernel {kernel[d]} (dilation {dilations[d]}), stride {strides[d]}, " +
                    $"pads {begin[d]}/{end[d]} give an output of {outSize}; at least 1 is needed");
            }

            output[d] = (int)outSize;
        }

        return new SpatialGeometry((int[])inputSpatial.Clone(), (int[])kernel.Clone(), strides, dilations, begin, end, output);
    }

    /// <summary>Rejects any extent above MaxExtent (see there), naming the axis and the quantity.</summary>
    public static void RequireExtent(NodeContext ctx, int axis, params (string What, long Value)[] extents)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(extents);
        foreach ((string what, long value) in extents)
        {
            if (value > MaxExtent)
            {
                throw ctx.Fail($"spatial axis {axis}: {what} {value} exceeds the supported {MaxExtent}");
            }
        }
    }

    private static int[] Ones(int[]? values, int r, string what, NodeContext ctx)
    {
        if (values is null)
        {
            return Enumerable.Repeat(1, r).ToArray();
        }

        if (values.Length != r)
        {
            throw ctx.Fail($"{what} has {values.Length} values; {r} expected (one per spatial axis)");
        }

        return (int[])values.Clone();
    }
}
