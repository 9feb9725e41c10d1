namespace EdgeCnn.Vision.Postprocessing;

/// <summary>How a detector's box output is encoded.</summary>
public enum BoxEncoding
{
    /// <summary>Already decoded corners (x1, y1, x2, y2) normalized to the input: Ultraface's ONNX export with postprocessing.</summary>
    Corners,

    /// <summary>SSD offsets against prior boxes: (dx, dy, dw, dh) with center variance 0.1 and size variance 0.2.</summary>
    SsdOffsets,
}

/// <summary>
/// SSD-style detector output to detections: scores [N, classes] (softmax, class 0 = background) and boxes [N, 4], as
/// Ultraface (RFB-320 and slim) emits them. Offsets are decoded against priors generated like Ultraface's
/// <c>generate_priors</c>: for each feature map (input size / stride, rounded up) and each cell, one prior per min box
/// size (box / width, box / height), centred on the cell, all normalized to the input and clamped to [0, 1]. Candidates above the score threshold go
/// through <see cref="Nms"/>. Buffers are sized at construction; <see cref="Decode"/> allocates nothing.
/// </summary>
public sealed class SsdDecoder
{
    public const float CenterVariance = 0.1f;
    public const float SizeVariance = 0.2f;
    private readonly float[] _priors; // [N, 4] cx, cy, w, h
    private readonly Detection[] _candidates;

    public SsdDecoder(int anchors, int classes, BoxEncoding encoding, float[]? priors = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(anchors, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (encoding == BoxEncoding.SsdOffsets && (priors is null || priors.Length != anchors * 4))
        {
            throw new ArgumentException($"SSD offsets need {anchors} priors (4 values each); got {(priors?.Length ?? 0) / 4}", nameof(priors));
        }

        Anchors = anchors;
        Classes = classes;
        Encoding = encoding;
        _priors = priors ?? [];
        _candidates = new Detection[anchors * (classes - 1)];
    }

    public int Anchors { get; }

    public int Classes { get; }

    public BoxEncoding Encoding { get; }

    /// <summary>Ultraface's priors for an input of width x height (320x240: 4420 anchors).</summary>
    public static float[] UltrafacePriors(int width, int height) =>
        Priors(width, height, [8, 16, 32, 64], [[10f, 16f, 24f], [32f, 48f], [64f, 96f], [128f, 192f, 256f]]);

    /// <summary>Square priors per feature map: strides[i] gives the map size ceil(size / stride), minBoxes[i] the box sizes in pixels.</summary>
    public static float[] Priors(int width, int height, int[] strides, float[][] minBoxes)
    {
        ArgumentNullException.ThrowIfNull(strides);
        ArgumentNullException.ThrowIfNull(minBoxes);
        var priors = new List<float>();
        for (int m = 0; m < strides.Length; m++)
        {
            // Cell centres are spread over the whole map: (i + 0.5) / mapSize. With 240 / 32 = 7.5 rounded up to 8 cells this
            // differs from (i + 0.5) * stride / size; the released Ultraface models carry the former (their prior constants).
            int fw = (width + strides[m] - 1) / strides[m], fh = (height + strides[m] - 1) / strides[m];
            for (int j = 0; j < fh; j++)
            {
                for (int i = 0; i < fw; i++)
                {
                    float cx = (i + 0.5f) / fw, cy = (j + 0.5f) / fh;
                    foreach (float box in minBoxes[m])
                    {
                        priors.Add(Math.Clamp(cx, 0f, 1f));
                        priors.Add(Math.Clamp(cy, 0f, 1f));
                        priors.Add(Math.Clamp(box / width, 0f, 1f));
                        priors.Add(Math.Clamp(box / height, 0f, 1f));
                    }
                }
            }
        }

        return [.. priors];
    }

    /// <summary>
    /// Decodes, thresholds and suppresses. Writes up to detections.Length results, best first; returns the count.
    /// </summary>
    public int Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, float scoreThreshold, float iouThreshold, Span<Detection> detections)
    {
        if (scores.Length != Anchors * Classes || boxes.Length != Anchors * 4)
        {
            throw new ArgumentException($"expected scores [{Anchors}, {Classes}] and boxes [{Anchors}, 4]; got {scores.Length} and {boxes.Length} values", nameof(scores));
        }

        int n = 0;
        for (int a = 0; a < Anchors; a++)
        {
            for (int c = 1; c < Classes; c++)
            {
                float s = scores[(a * Classes) + c];
                if (!(s > scoreThreshold))
                {
                    continue;
                }

                ReadOnlySpan<float> b = boxes.Slice(a * 4, 4);
                Detection d;
                if (Encoding == BoxEncoding.Corners)
                {
                    d = new Detection(Clamp01(b[0]), Clamp01(b[1]), Clamp01(b[2]), Clamp01(b[3]), s, c);
                }
                else
                {
                    ReadOnlySpan<float> p = _priors.AsSpan(a * 4, 4);
                    float cx = (b[0] * CenterVariance * p[2]) + p[0];
                    float cy = (b[1] * CenterVariance * p[3]) + p[1];
                    float w = MathF.Exp(b[2] * SizeVariance) * p[2];
                    float h = MathF.Exp(b[3] * SizeVariance) * p[3];
                    d = new Detection(Clamp01(cx - (w / 2)), Clamp01(cy - (h / 2)), Clamp01(cx + (w / 2)), Clamp01(cy + (h / 2)), s, c);
                }

                _candidates[n++] = d;
            }
        }

        int kept = Nms.Run(_candidates.AsSpan(0, n), iouThreshold, detections.Length);
        _candidates.AsSpan(0, kept).CopyTo(detections);
        return kept;
    }

    private static float Clamp01(float v) => Math.Clamp(v, 0f, 1f);
}
