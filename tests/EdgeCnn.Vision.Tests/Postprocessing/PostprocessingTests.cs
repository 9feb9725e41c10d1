using EdgeCnn.Vision.Postprocessing;

namespace EdgeCnn.Vision.Tests.Postprocessing;

public class TopKTests
{
    [Fact]
    public void Picks_the_k_best_best_first_lower_index_on_ties_and_skips_nan()
    {
        float[] scores = [0.1f, 0.7f, float.NaN, 0.7f, 0.05f, 0.9f, 0.2f];
        var top = new int[3];
        Assert.Equal(3, TopK.Select(scores, top));
        Assert.Equal([5, 1, 3], top);
    }

    [Fact]
    public void K_larger_than_the_scores_returns_them_all_sorted()
    {
        var top = new int[5];
        Assert.Equal(2, TopK.Select([0.2f, 0.8f], top));
        Assert.Equal([1, 0], top[..2]);
        Assert.Equal(0, TopK.Select([], top));
        Assert.Equal(0, TopK.Select([0.2f, 0.8f], Span<int>.Empty)); // k = 0: nothing asked, nothing indexed
    }

    [Fact]
    public void Matches_a_full_sort_on_random_scores()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            float[] scores = [.. Enumerable.Range(0, 1 + rng.Next(40)).Select(_ => (float)Math.Round(rng.NextDouble(), 2))];
            int k = 1 + rng.Next(6);
            var top = new int[k];
            int n = TopK.Select(scores, top);
            int[] expected = [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k)];
            Assert.Equal(expected, top[..n]);
        }
    }
}

public class NmsTests
{
    [Fact]
    public void Keeps_the_best_of_overlapping_boxes_and_separate_objects()
    {
        Detection[] boxes =
        [
            new(0.10f, 0.10f, 0.30f, 0.30f, 0.80f, 1),
            new(0.11f, 0.10f, 0.31f, 0.30f, 0.95f, 1), // overlaps the first (IoU ~0.9), better
            new(0.60f, 0.60f, 0.80f, 0.80f, 0.70f, 1), // elsewhere
            new(0.12f, 0.12f, 0.32f, 0.32f, 0.90f, 2), // overlapping but another class
        ];
        int kept = Nms.Run(boxes, 0.3f, 10);
        Assert.Equal(3, kept);
        Assert.Equal([0.95f, 0.90f, 0.70f], boxes[..kept].Select(b => b.Score));
    }

    [Fact]
    public void Equal_scores_keep_the_earlier_box_whatever_was_picked_before()
    {
        // int8 detectors give many equal scores: of two overlapping boxes with the same score the earlier one is kept, as
        // documented, even after earlier picks have moved boxes around (a swap moved B behind C here)
        Detection a = new(0.60f, 0.60f, 0.80f, 0.80f, 0.90f, 1);
        Detection b = new(0.10f, 0.10f, 0.30f, 0.30f, 0.50f, 1);
        Detection c = new(0.11f, 0.10f, 0.31f, 0.30f, 0.50f, 1); // overlaps b (IoU ~0.9), same score
        Detection d = new(0.60f, 0.00f, 0.80f, 0.20f, 0.95f, 1);
        Detection[] boxes = [a, b, c, d];
        int kept = Nms.Run(boxes, 0.3f, 10);
        Assert.Equal([d, a, b], boxes[..kept]);
    }

    [Fact]
    public void Threshold_is_strict_and_max_keep_limits()
    {
        var a = new Detection(0f, 0f, 1f, 1f, 0.9f, 1);
        var b = new Detection(0f, 0f, 1f, 0.5f, 0.8f, 1); // IoU exactly 0.5
        Detection[] boxes = [a, b];
        Assert.Equal(2, Nms.Run(boxes, 0.5f, 10));
        boxes = [a, b];
        Assert.Equal(1, Nms.Run(boxes, 0.49f, 10));
        boxes = [a, new Detection(0.5f, 0.5f, 0.6f, 0.6f, 0.1f, 1), new Detection(2f, 2f, 3f, 3f, 0.5f, 1)];
        Assert.Equal(1, Nms.Run(boxes, 0.3f, 1));
    }

    [Fact]
    public void Matches_a_naive_nms_on_random_boxes()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 100; trial++)
        {
            Detection[] boxes = [.. Enumerable.Range(0, rng.Next(30)).Select(_ =>
            {
                float x = (float)rng.NextDouble(), y = (float)rng.NextDouble();
                return new Detection(x, y, x + (0.3f * (float)rng.NextDouble()), y + (0.3f * (float)rng.NextDouble()), (float)rng.NextDouble(), 1 + rng.Next(2));
            })];
            var naive = new List<Detection>();
            foreach (Detection d in boxes.OrderByDescending(b => b.Score))
            {
                if (naive.TrueForAll(k => k.Class != d.Class || k.IoU(d) <= 0.4f))
                {
                    naive.Add(d);
                }
            }

            Detection[] copy = [.. boxes];
            int kept = Nms.Run(copy, 0.4f, 1000);
            Assert.Equal(naive, copy[..kept]);
        }
    }

    [Fact]
    public void IoU_of_identical_disjoint_and_empty_boxes()
    {
        var a = new Detection(0.1f, 0.1f, 0.5f, 0.5f, 1, 1);
        Assert.Equal(1f, a.IoU(a), 5);
        Assert.Equal(0f, a.IoU(new Detection(0.6f, 0.6f, 0.9f, 0.9f, 1, 1)));
        Assert.Equal(0f, a.IoU(new Detection(0.2f, 0.2f, 0.2f, 0.4f, 1, 1)));
        Assert.Equal(1f / 7f, new Detection(0f, 0f, 2f, 1f, 1, 1).IoU(new Detection(1f, 0f, 3f, 3f, 1, 1)), 5);
    }
}

public class SsdDecoderTests
{
    [Fact]
    public void Ultraface_320x240_has_4420_priors_laid_out_like_the_released_model()
    {
        float[] p = SsdDecoder.UltrafacePriors(320, 240);
        Assert.Equal(4420 * 4, p.Length);
        // first cell of the stride-8 map (40x30), min box 10: centre (0.5/40, 0.5/30), size (10/320, 10/240)
        Assert.Equal([0.0125f, 0.5f / 30f, 10f / 320f, 10f / 240f], p[..4]);
        // last prior: stride-64 map (5x4) cell (4, 3), box 256 clamped to 1 in height: the model's constants say (0.9, 0.875)
        Assert.Equal([0.9f, 0.875f, 0.8f, 1f], p[^4..]);
    }

    [Fact]
    public void Offsets_decode_against_priors_and_round_trip()
    {
        float[] priors = SsdDecoder.UltrafacePriors(320, 240);
        var decoder = new SsdDecoder(4420, 2, BoxEncoding.SsdOffsets, priors);
        var scores = new float[4420 * 2];
        var boxes = new float[4420 * 4];
        for (int a = 0; a < 4420; a++)
        {
            scores[2 * a] = 1f;
        }

        // anchor 1000 sees a face at centre (0.4, 0.3), size (0.2, 0.25): encode it as the network would
        int anchor = 1000;
        (float cx, float cy, float w, float h) = (0.4f, 0.3f, 0.2f, 0.25f);
        float[] p = priors[(anchor * 4)..((anchor * 4) + 4)];
        boxes[anchor * 4] = (cx - p[0]) / (SsdDecoder.CenterVariance * p[2]);
        boxes[(anchor * 4) + 1] = (cy - p[1]) / (SsdDecoder.CenterVariance * p[3]);
        boxes[(anchor * 4) + 2] = MathF.Log(w / p[2]) / SsdDecoder.SizeVariance;
        boxes[(anchor * 4) + 3] = MathF.Log(h / p[3]) / SsdDecoder.SizeVariance;
        scores[2 * anchor] = 0.1f;
        scores[(2 * anchor) + 1] = 0.9f;
        var found = new Detection[4];
        Assert.Equal(1, decoder.Decode(scores, boxes, 0.7f, 0.3f, found));
        Detection d = found[0];
        Assert.Equal(1, d.Class);
        Assert.Equal(0.9f, d.Score);
        Assert.Equal(0.3f, d.X1, 4);
        Assert.Equal(0.175f, d.Y1, 4);
        Assert.Equal(0.5f, d.X2, 4);
        Assert.Equal(0.425f, d.Y2, 4);
    }

    [Fact]
    public void Corner_boxes_pass_through_clamped_and_threshold_then_nms_apply()
    {
        var decoder = new SsdDecoder(3, 2, BoxEncoding.Corners);
        float[] scores = [0.2f, 0.8f, 0.1f, 0.9f, 0.5f, 0.5f];
        float[] boxes = [-0.1f, 0.1f, 0.5f, 0.5f, 0f, 0.1f, 0.5f, 0.5f, 0.7f, 0.7f, 1.2f, 0.9f];
        var found = new Detection[4];
        int n = decoder.Decode(scores, boxes, 0.6f, 0.3f, found);
        Assert.Equal(1, n); // anchor 2 is below the threshold; anchor 0 overlaps the better anchor 1
        Assert.Equal(new Detection(0f, 0.1f, 0.5f, 0.5f, 0.9f, 1), found[0]);
        Assert.Throws<ArgumentException>(() => decoder.Decode(scores, boxes.AsSpan(1), 0.6f, 0.3f, found));
        Assert.Throws<ArgumentException>(() => new SsdDecoder(3, 2, BoxEncoding.SsdOffsets, priors: null));
    }
}
