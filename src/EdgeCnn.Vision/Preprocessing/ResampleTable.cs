namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// One axis of a separable resampling: for each output index, the first source index, the number of taps and their
/// weights, exactly as <see cref="ResampleAxis"/> defines them. Built once at plan time; the fused pass only reads it.
/// </summary>
internal sealed class ResampleTable
{
    private ResampleTable(int[] start, int[] count, int[] weightOffset, float[] weights, int maxTaps)
    {
        Start = start;
        Count = count;
        WeightOffset = weightOffset;
        Weights = weights;
        MaxTaps = maxTaps;
    }

    public int[] Start { get; }

    public int[] Count { get; }

    public int[] WeightOffset { get; }

    public float[] Weights { get; }

    public int MaxTaps { get; }

    public int Length => Start.Length;

    /// <summary>Resamples <paramref name="inLength"/> source pixels to <paramref name="outLength"/>.</summary>
    public static ResampleTable Create(int inLength, int outLength, ResizeMethod mode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outLength, 1);
        // Taps and weights come from ResampleAxis, the functions PreprocessReference uses: the geometry is identical.
        var axis = new List<(int Start, float[] W)>(outLength);
        for (int o = 0; o < outLength; o++)
        {
            if (mode == ResizeMethod.Nearest)
            {
                axis.Add((ResampleAxis.Nearest(o, inLength, outLength), [1f]));
            }
            else if (mode == ResizeMethod.Area && inLength >= outLength)
            {
                (int first, int taps) = ResampleAxis.AreaTaps(o, inLength, outLength);
                var w = new float[taps];
                for (int k = 0; k < taps; k++)
                {
                    w[k] = ResampleAxis.AreaWeight(o, first + k, inLength, outLength);
                }

                axis.Add((first, w));
            }
            else
            {
                // bilinear, and area on an axis that grows. A tap of weight 0 (every tap of a same-size axis, and the
                // aligned ones of an integer upscale) adds exactly +0 to a finite pixel: it is left out, not computed.
                (int i0, float w0, float w1) = ResampleAxis.Bilinear(o, inLength, outLength);
                axis.Add(i0 + 1 >= inLength || w1 == 0f ? (i0, [w0])
                    : w0 == 0f ? (i0 + 1, [w1])
                    : (i0, [w0, w1]));
            }
        }

        var start = new int[outLength];
        var count = new int[outLength];
        var offset = new int[outLength];
        var weights = new List<float>();
        int maxTaps = 1;
        for (int o = 0; o < outLength; o++)
        {
            start[o] = axis[o].Start;
            count[o] = axis[o].W.Length;
            offset[o] = weights.Count;
            weights.AddRange(axis[o].W);
            maxTaps = Math.Max(maxTaps, count[o]);
        }

        return new ResampleTable(start, count, offset, [.. weights], maxTaps);
    }
}
