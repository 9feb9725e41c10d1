namespace EdgeCnn.Runtime.Graph;

/// <summary>Normalization builders: batch norm (parameters added as constants), softmax, log-softmax and maxout.</summary>
public sealed partial class ModelBuilder
{
    /// <summary>y = scale * (x - mean) / sqrt(var + epsilon) + bias over the last axis of x [N, .., C]; parameters are [C].</summary>
    public TensorRef BatchNorm(TensorRef x, float[] scale, float[] bias, float[] mean, float[] variance, float epsilon = 1e-5f,
        QuantizationInfo? outputQuantization = null)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(variance);
        string prefix = $"BatchNorm_{_autoName}";
        TensorRef s = Constant($"{prefix}.scale", scale, [scale.Length]);
        TensorRef b = Constant($"{prefix}.bias", bias, [bias.Length]);
        TensorRef m = Constant($"{prefix}.mean", mean, [mean.Length]);
        TensorRef v = Constant($"{prefix}.var", variance, [variance.Length]);
        NodeAttribute[] a = epsilon == 1e-5f ? [] : [NodeAttribute.Float(AttributeKey.Epsilon, epsilon)];
        return Node(OpCode.BatchNorm, [x, s, b, m, v], a, outputQuantization);
    }

    /// <summary>Softmax along axis (negative counts from the end).</summary>
    public TensorRef Softmax(TensorRef x, int axis = -1, QuantizationInfo? outputQuantization = null) =>
        Node(OpCode.Softmax, [x], axis == -1 ? [] : [NodeAttribute.Int(AttributeKey.Axis, axis)], outputQuantization);

    /// <summary>Log-softmax along axis (negative counts from the end).</summary>
    public TensorRef LogSoftmax(TensorRef x, int axis = -1, QuantizationInfo? outputQuantization = null) =>
        Node(OpCode.LogSoftmax, [x], axis == -1 ? [] : [NodeAttribute.Int(AttributeKey.Axis, axis)], outputQuantization);

    /// <summary>Maxout: [.., C] -> [.., C / groupSize], the max of each group of groupSize adjacent channels.</summary>
    public TensorRef Maxout(TensorRef x, int groupSize, QuantizationInfo? outputQuantization = null) =>
        Node(OpCode.Maxout, [x], [NodeAttribute.Int(AttributeKey.GroupSize, groupSize)], outputQuantization);
}
