using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Passes;

/// <summary>
/// A BatchNorm node as its per-channel affine map y = A[c] * x + B[c], A = scale / sqrt(var + eps), B = bias - A * mean,
/// in double: the one place the BatchNorm folds (<see cref="GraphOptimizer"/>, <see cref="ClampedBatchNormFold"/>) and the
/// QDQ export's folded BatchNorm read it from.
/// </summary>
internal static class BatchNormAffine
{
    public static (double[] A, double[] B) Of(ModelDefinition m, NodeDesc bn)
    {
        float[] scale = GraphRewriter.Floats(m, bn.Inputs[1]), beta = GraphRewriter.Floats(m, bn.Inputs[2]);
        float[] mean = GraphRewriter.Floats(m, bn.Inputs[3]), variance = GraphRewriter.Floats(m, bn.Inputs[4]);
        double eps = bn.Find(AttributeKey.Epsilon)?.Floats[0] ?? 1e-5f;
        var a = new double[scale.Length];
        var b = new double[scale.Length];
        for (int c = 0; c < a.Length; c++)
        {
            a[c] = scale[c] / Math.Sqrt(variance[c] + eps);
            b[c] = beta[c] - (a[c] * mean[c]);
        }

        return (a, b);
    }

    /// <summary>
    /// The weights and bias of a Conv / ConvTranspose / Dense (output channels on axis 0 of its constant weights) with the
    /// map applied to its output: W[c] * A[c] and A[c] * bias[c] + B[c]; null when the channel counts differ.
    /// </summary>
    public static (float[] Weights, float[] Bias)? FoldInto(ModelDefinition m, NodeDesc layer, double[] a, double[] b)
    {
        int channels = a.Length;
        if (m.Tensors[layer.Inputs[1]].Shape[0] != channels)
        {
            return null;
        }

        float[] w = GraphRewriter.Floats(m, layer.Inputs[1]);
        float[] oldBias = layer.Inputs.Length > 2 && layer.Inputs[2] >= 0 ? GraphRewriter.Floats(m, layer.Inputs[2]) : new float[channels];
        var bias = new float[channels];
        int perChannel = w.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                w[i] = (float)(w[i] * a[c]);
            }

            bias[c] = (float)((a[c] * oldBias[c]) + b[c]);
        }

        return (w, bias);
    }
}
