namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reference fully connected layer: x [rows, K], w [O, K], y [rows, O]:
///   y[r, o] = act(bias[o] + sum_k x[r, k] * w[o, k]).
/// </summary>
public static class DenseKernels
{
    public static void Float32(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, int rows, int k,
        int outputs, FusedActivationSpec activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                float acc = bias.IsEmpty ? 0f : bias[o];
                for (int i = 0; i < k; i++)
                {
                    acc += x[(r * k) + i] * w[(o * k) + i];
                }

                y[(r * outputs) + o] = activation.Apply(acc);
            }
        }
    }

    /// <summary>int8: acc = bias[o] + sum (x - z_x) * w. K &lt;= 65536 (checked at Infer) keeps |sum| &lt; 2^31 (see ConvKernels.Int8).</summary>
    public static void Int8(ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias, Span<sbyte> y, int rows, int k,
        int outputs, Int8Requant requant)
    {
        ArgumentNullException.ThrowIfNull(requant);
        int zx = requant.InputZeroPoint;
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                int acc = bias.IsEmpty ? 0 : bias[o];
                for (int i = 0; i < k; i++)
                {
                    acc = unchecked(acc + ((x[(r * k) + i] - zx) * w[(o * k) + i]));
                }

                y[(r * outputs) + o] = requant.Output(acc, o);
            }
        }
    }
}
