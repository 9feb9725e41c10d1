namespace EdgeCnn.Vision.Postprocessing;

/// <summary>
/// Greedy non-maximum suppression (as in SSD and Ultraface's hard NMS): take the best-scoring box, drop every box of the same
/// class overlapping it by more than the IoU threshold, repeat. In place, no allocation.
/// </summary>
public static class Nms
{
    /// <summary>Reorders <paramref name="boxes"/> so the kept ones come first, best first; returns how many are kept (at most maxKeep).</summary>
    public static int Run(Span<Detection> boxes, float iouThreshold, int maxKeep)
    {
        int n = boxes.Length, kept = 0;
        while (n > 0 && kept < maxKeep)
        {
            // the best remaining box (ties: the earlier one, so results do not depend on sort stability)
            int best = kept;
            for (int i = kept + 1; i < n; i++)
            {
                if (boxes[i].Score > boxes[best].Score)
                {
                    best = i;
                }
            }

            if (best >= n)
            {
                break;
            }

            // rotate it to the front of the remaining boxes: a swap would move the box at `kept` behind others and break
            // the earlier-first rule for equal scores in later rounds (int8 detectors give many equal scores)
            Detection keep = boxes[best];
            boxes[kept..best].CopyTo(boxes[(kept + 1)..]);
            boxes[kept] = keep;
            kept++;

            // compact the survivors behind it
            int w = kept;
            for (int i = kept; i < n; i++)
            {
                if (boxes[i].Class != keep.Class || keep.IoU(boxes[i]) <= iouThreshold)
                {
                    boxes[w++] = boxes[i];
                }
            }

            n = w;
            if (kept >= n)
            {
                break;
            }
        }

        return kept;
    }
}
