using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Quantization;

/// <summary>
/// The per-channel bounds of the ChannelClip that alone reads a layer's output (a BatchNorm folded after the layer's
/// activation). The layer's int8 output is quantized to the clamp's range, so values the clamp discards (below a channel's
/// lower bound, which the layer's own Clip lets down to the lowest bound of all channels) saturate in int8 and would count
/// as error though no later value depends on them; the layer's error is measured on both sides clamped the same way.
/// </summary>
internal sealed class ChannelBounds(float[] lo, float[] hi)
{
    public static ChannelBounds? After(ModelDefinition fp32, QuantizedLayer layer)
    {
        int y = fp32.Nodes[layer.Node].Outputs[0];
        List<NodeDesc> readers = Passes.GraphRewriter.Consumers(fp32, y);
        return readers.Count == 1 && readers[0].Op == OpCode.ChannelClip && readers[0].Inputs[0] == y && !fp32.Outputs.Contains(y)
            ? new ChannelBounds(Passes.GraphRewriter.Floats(fp32, readers[0].Inputs[1]), Passes.GraphRewriter.Floats(fp32, readers[0].Inputs[2]))
            : null;
    }

    /// <summary>Adds one sample to the accumulator, both sides clamped per channel when the layer has bounds.</summary>
    public static void Add(ErrorAccumulator errors, float[]? reference, ReadOnlySpan<float> actual, ChannelBounds? bounds)
    {
        if (bounds is null || reference is null)
        {
            errors.Add(reference, actual);
            return;
        }

        errors.Add(bounds.Clamp(reference), bounds.Clamp(actual));
    }

    private float[] Clamp(ReadOnlySpan<float> v)
    {
        var y = new float[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            int c = i % lo.Length;
            y[i] = Math.Clamp(v[i], lo[c], hi[c]);
        }

        return y;
    }
}
