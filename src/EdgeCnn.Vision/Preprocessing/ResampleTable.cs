namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// One axis of a separable resampling: for each output index, the first source index, the number of taps and their
/// weights (summing to 1). Built once at plan time; the fused pass only reads it.
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
        var taps = new List<(int Start, float[] W)>(outLength);
        double scale = (double)inLength / outLength;
        for (int o = 0; o < outLength; o++)
        {
            switch (mode)
            {
                case ResizeMethod.Nearest:
                {
                    // floor((dst + 0.5) * src / dst), as PreprocessReference defines it
                    int i = Math.Clamp((int)Math.Floor((o + 0.5) * scale), 0, inLength - 1);
                    taps.Add((i, [1f]));
                    break;
                }

                case ResizeMethod.Area when scale > 1:
                {
                    double lo = o * scale, hi = (o + 1) * scale;
                    int first = (int)Math.Floor(lo);
                    int last = Math.Min(inLength - 1, (int)Math.Ceiling(hi) - 1);
                    var w = new float[last - first + 1];
                    for (int i = first; i <= last; i++)
                    {
                        w[i - first] = (float)((Math.Min(hi, i + 1) - Math.Max(lo, i)) / scale);
                    }

                    taps.Add((first, w));
                    break;
                }

                default:
                {
                    // Bilinear, and Area when enlarging (no area to average over: interpolate like OpenCV's INTER_AREA).
                    double c = Math.Clamp(((o + 0.5) * scale) - 0.5, 0, inLength - 1);
                    int i0 = (int)Math.Floor(c);
                    int i1 = Math.Min(i0 + 1, inLength - 1);
                    float f = (float)(c - i0);
                    taps.Add(i1 == i0 || f == 0f ? (i0, [1f]) : (i0, [1f - f, f]));
                    break;
                }
            }
        }

        var start = new int[outLength];
        var count = new int[outLength];
        var offset = new int[outLength];
        var weights = new List<float>();
        int maxTaps = 1;
        for (int o = 0; o < outLength; o++)
        {
            start[o] = taps[o].Start;
            count[o] = taps[o].W.Length;
            offset[o] = weights.Count;
            weights.AddRange(taps[o].W);
            maxTaps = Math.Max(maxTaps, count[o]);
        }

        return new ResampleTable(start, count, offset, [.. weights], maxTaps);
    }
}
