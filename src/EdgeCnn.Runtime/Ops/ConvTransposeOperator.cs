using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// ConvTranspose: x [N, spatial (1..3)..., C], weights constant [O, k..., C / Group] (same meaning as Conv weights), optional
/// bias [O]. Output size per axis (ONNX): stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - padBegin - padEnd.
/// </summary>
internal sealed class ConvTransposeOperator : Operator
{
    private static readonly AttributeKey[] s_attributes =
    [
        AttributeKey.Strides, AttributeKey.Dilations, AttributeKey.Pads, AttributeKey.OutputPadding, AttributeKey.Group,
        .. ConvSupport.ActivationKeys,
    ];

    public override OpCode Code => OpCode.ConvTranspose;

    public override int MinInputs => 2;

    public override int MaxInputs => 3;

    public override IReadOnlyList<AttributeKey> Attributes => s_attributes;

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        ctx.RequireRank(0, 3, 5);
        TensorDesc w = ConvSupport.RequireWeights(ctx, x, x.Shape.Length);
        ConvGeometry g = Resolve(ctx, x, w, out int[] outSpatial);
        bool int8 = x.Type == DataType.Int8;
        ConvSupport.ReadActivation(ctx, int8);
        ConvSupport.CheckBias(ctx, x, [g.OutC]);
        if (int8)
        {
            ConvSupport.CheckInt8(ctx, x, w, 0, g.OutC, ShapeMath.ElementCount(w.Shape) / g.OutC);
        }

        ctx.SetOutput(0, x.Type, [x.Shape[0], .. outSpatial, g.OutC]);
    }

    public override Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0), w = ctx.Input(1);
        ConvGeometry g = Resolve(ctx, x, w, out _);
        ConvTensors t = ConvTensorsFactory.From(ctx);
        string name = $"convtranspose{x.Shape.Length - 2}d-ref";
        if (x.Type == DataType.Float32)
        {
            return new ConvF32Kernel("f32-" + name, t, g, ConvSupport.ReadActivation(ctx, false), transposed: true);
        }

        return new ConvS8Kernel("s8-" + name, t, g, ConvSupport.BuildRequant(ctx, g.OutC, ConvSupport.ReadActivation(ctx, true)), transposed: true);
    }

    private static ConvGeometry Resolve(NodeContext ctx, TensorDesc x, TensorDesc w, out int[] outSpatial)
    {
        int r = x.Shape.Length - 2;
        int c = x.Shape[^1], outC = w.Shape[0];
        int group = ctx.Int(AttributeKey.Group, 1);
        if (group < 1)
        {
            throw ctx.Fail($"group must be >= 1, is {group}");
        }

        if (c % group != 0 || outC % group != 0)
        {
            throw ctx.Fail($"input channels {c} and output channels {outC} must both be divisible by group {group}");
        }

        if (w.Shape[^1] != c / group)
        {
            throw ctx.Fail($"weights '{w.Name}' {ShapeMath.Format(w.Shape)} have {w.Shape[^1]} input channels; " +
                $"input has {c} channels in {group} group(s), so {c / group} expected");
        }

        int[] strides = PerAxis(ctx, AttributeKey.Strides, r, 1);
        int[] dilations = PerAxis(ctx, AttributeKey.Dilations, r, 1);
        int[] outputPadding = PerAxis(ctx, AttributeKey.OutputPadding, r, 0);
        int[] pads = ctx.Ints(AttributeKey.Pads, null) ?? new int[2 * r];
        if (pads.Length != 2 * r)
        {
            throw ctx.Fail($"pads has {pads.Length} values; {2 * r} expected (begin of each spatial axis, then end)");
        }

        int[] kernel = w.Shape[1..^1];
        int[] inSpatial = x.Shape[1..^1];
        outSpatial = new int[r];
        for (int d = 0; d < r; d++)
        {
            if (strides[d] < 1 || dilations[d] < 1)
            {
                throw ctx.Fail($"stride {strides[d]} and dilation {dilations[d]} on spatial axis {d} must be >= 1");
            }

            if (pads[d] < 0 || pads[r + d] < 0)
            {
                throw ctx.Fail($"pads on spatial axis {d} must be >= 0, are {pads[d]} and {pads[r + d]}");
            }

            // ONNX: output_padding must be smaller than the stride or the dilation, else it adds rows no input reaches.
            if (outputPadding[d] < 0 || outputPadding[d] >= Math.Max(strides[d], dilations[d]))
            {
                throw ctx.Fail($"output padding {outputPadding[d]} on spatial axis {d} must be in 0..max(stride {strides[d]}, dilation {dilations[d]}) - 1");
            }

            SpatialGeometry.RequireExtent(ctx, d, ("kernel", kernel[d]), ("stride", strides[d]), ("dilation", dilations[d]),
                ("dilated window", ((long)(kernel[d] - 1) * dilations[d]) + 1), ("begin pad", pads[d]), ("end pad", pads[r + d]));
            long size = ((long)strides[d] * (inSpatial[d] - 1)) + outputPadding[d] + ((long)(kernel[d] - 1) * dilations[d]) + 1 - pads[d] - pads[r + d];
            SpatialGeometry.RequireExtent(ctx, d, ("output size", size), ("stretched input", ((long)strides[d] * (inSpatial[d] - 1)) + 1));
            if (size < 1 || size > int.MaxValue)
            {
                throw ctx.Fail($"spatial axis {d}: input {inSpatial[d]}, kernel {kernel[d]} (dilation {dilations[d]}), stride {strides[d]}, " +
                    $"pads {pads[d]}/{pads[r + d]}, output padding {outputPadding[d]} give an output of {size}; at least 1 is needed");
            }

            outSpatial[d] = (int)size;
        }

        ConvSupport.RequireIntCount(ctx, [x.Shape[0], .. outSpatial, outC], "output");
        return ConvSupport.Geometry(x.Shape[0], inSpatial, c, outSpatial, outC, kernel, strides, dilations, pads[..r], group);
    }

    private static int[] PerAxis(NodeContext ctx, AttributeKey key, int r, int fallback)
    {
        int[]? v = ctx.Ints(key, null);
        if (v is null)
        {
            return Enumerable.Repeat(fallback, r).ToArray();
        }

        if (v.Length != r)
        {
            throw ctx.Fail($"{key} has {v.Length} values; {r} expected (one per spatial axis)");
        }

        return v;
    }
}
