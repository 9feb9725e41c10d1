namespace EdgeCnn.Vision.Postprocessing;

/// <summary>The k best classes of a score vector, best first (ties: the lower index first). No allocation.</summary>
public static class TopK
{
    /// <summary>Writes min(k, scores.Length) indices into <paramref name="indices"/> (k = indices.Length); returns the count.</summary>
    public static int Select(ReadOnlySpan<float> scores, Span<int> indices)
    {
        int k = Math.Min(indices.Length, scores.Length);
        if (k == 0)
        {
            return 0; // the test below reads indices[k - 1]
        }

        int n = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            float s = scores[i];
            if (float.IsNaN(s) || (n == k && !(s > scores[indices[k - 1]])))
            {
                continue;
            }

            // insertion into the sorted prefix: k is small (1 to 5 in practice)
            int j = n < k ? n++ : k - 1;
            while (j > 0 && s > scores[indices[j - 1]])
            {
                indices[j] = indices[j - 1];
                j--;
            }

            indices[j] = i;
        }

        return n;
    }
}
