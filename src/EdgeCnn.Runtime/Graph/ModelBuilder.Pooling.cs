namespace EdgeCnn.Runtime.Graph;

/// <summary>Pooling builders: each adds one node; attributes equal to their default are left out of the file.</summary>
public sealed partial class ModelBuilder
{
    /// <summary>Max pool over x [N, spatial.., C]. An int8 input needs outputQuantization.</summary>
    public TensorRef MaxPool(TensorRef x, int[] kernelShape, int[]? strides = null, int[]? pads = null, int[]? dilations = null,
        PadMode padMode = PadMode.Explicit, bool ceilMode = false, QuantizationInfo? outputQuantization = null) =>
        Node(OpCode.MaxPool, [x], PoolWindowAttributes(kernelShape, strides, pads, dilations, padMode, ceilMode).ToArray(), outputQuantization);

    /// <summary>Average pool; countIncludePad divides by the taps inside input and pads (not the ceil_mode extension).</summary>
    public TensorRef AveragePool(TensorRef x, int[] kernelShape, int[]? strides = null, int[]? pads = null, bool countIncludePad = false,
        PadMode padMode = PadMode.Explicit, bool ceilMode = false, int[]? dilations = null, QuantizationInfo? outputQuantization = null)
    {
        List<NodeAttribute> a = PoolWindowAttributes(kernelShape, strides, pads, dilations, padMode, ceilMode);
        if (countIncludePad)
        {
            a.Add(NodeAttribute.Int(AttributeKey.CountIncludePad, 1));
        }

        return Node(OpCode.AveragePool, [x], a.ToArray(), outputQuantization);
    }

    /// <summary>Lp pool: (sum |x|^p)^(1/p) over each window.</summary>
    public TensorRef LpPool(TensorRef x, int[] kernelShape, int p = 2, int[]? strides = null, int[]? pads = null,
        PadMode padMode = PadMode.Explicit, bool ceilMode = false, int[]? dilations = null, QuantizationInfo? outputQuantization = null)
    {
        List<NodeAttribute> a = PoolWindowAttributes(kernelShape, strides, pads, dilations, padMode, ceilMode);
        if (p != 2)
        {
            a.Add(NodeAttribute.Int(AttributeKey.P, p));
        }

        return Node(OpCode.LpPool, [x], a.ToArray(), outputQuantization);
    }

    /// <summary>[N, spatial.., C] -> [N, 1.., C] mean.</summary>
    public TensorRef GlobalAveragePool(TensorRef x, QuantizationInfo? outputQuantization = null) =>
        Node(OpCode.GlobalAveragePool, [x], null, outputQuantization);

    /// <summary>[N, spatial.., C] -> [N, 1.., C] max.</summary>
    public TensorRef GlobalMaxPool(TensorRef x, QuantizationInfo? outputQuantization = null) =>
        Node(OpCode.GlobalMaxPool, [x], null, outputQuantization);

    private static List<NodeAttribute> PoolWindowAttributes(int[] kernelShape, int[]? strides, int[]? pads, int[]? dilations,
        PadMode padMode, bool ceilMode)
    {
        var a = new List<NodeAttribute> { NodeAttribute.IntList(AttributeKey.KernelShape, kernelShape) };
        if (strides is not null)
        {
            a.Add(NodeAttribute.IntList(AttributeKey.Strides, strides));
        }

        if (pads is not null)
        {
            a.Add(NodeAttribute.IntList(AttributeKey.Pads, pads));
        }

        if (dilations is not null)
        {
            a.Add(NodeAttribute.IntList(AttributeKey.Dilations, dilations));
        }

        if (padMode != PadMode.Explicit)
        {
            a.Add(NodeAttribute.Int(AttributeKey.PadMode, (int)padMode));
        }

        if (ceilMode)
        {
            a.Add(NodeAttribute.Int(AttributeKey.CeilMode, 1));
        }

        return a;
    }
}
