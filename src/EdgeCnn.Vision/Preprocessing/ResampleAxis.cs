namespace EdgeCnn.Vision.Preprocessing;

/// <summary>
/// The source taps and weights of one output index along one axis (n source pixels to m output pixels). Resizing is
/// separable: an output pixel is sum_i wy_i * (sum_j wx_j * src[i, j]) over the taps of its row and column.
/// </summary>
public static class ResampleAxis
{
    /// <summary>
    /// Bilinear with half-pixel centres, edge-clamped: c = (d + 0.5) * n / m - 0.5 (in double); c &lt;= 0 gives tap 0 with
    /// weight 1; else i0 = floor(c), f = c - i0, and i0 &gt;= n - 1 gives tap n - 1 with weight 1; otherwise taps i0 and
    /// i0 + 1 with weights (float)(1 - f) and (float)f.
    /// </summary>
    public static (int I0, float W0, float W1) Bilinear(int d, int n, int m)
    {
        double c = ((d + 0.5) * n / m) - 0.5;
        if (c <= 0)
        {
            return (0, 1f, 0f);
        }

        int i0 = (int)Math.Floor(c);
        if (i0 >= n - 1)
        {
            return (n - 1, 1f, 0f);
        }

        double f = c - i0;
        return (i0, (float)(1 - f), (float)f);
    }

    /// <summary>Nearest: floor((d + 0.5) * n / m), computed exactly as floor((2d + 1) * n / 2m).</summary>
    public static int Nearest(int d, int n, int m) => (int)Math.Min(((2L * d) + 1) * n / (2L * m), n - 1);

    /// <summary>
    /// Area (n &gt;= m): output d averages the source interval [d * n / m, (d + 1) * n / m) exactly. Source pixel i covers
    /// [i, i + 1); its weight is the overlap length over n / m, computed in units of 1/m as an integer overlap / n, then
    /// rounded to float. Returns the first tap and the tap count; <see cref="AreaWeight"/> gives each weight.
    /// </summary>
    public static (int First, int Count) AreaTaps(int d, int n, int m)
    {
        long start = (long)d * n, end = (long)(d + 1) * n; // in units of 1/m source pixels
        int first = (int)(start / m), last = (int)((end + m - 1) / m) - 1;
        return (first, last - first + 1);
    }

    /// <summary>Weight of source pixel i in area output d: overlap([i*m, (i+1)*m), [d*n, (d+1)*n)) / n, as a float.</summary>
    public static float AreaWeight(int d, int i, int n, int m)
    {
        long lo = Math.Max((long)i * m, (long)d * n), hi = Math.Min((long)(i + 1) * m, (long)(d + 1) * n);
        return (float)((double)Math.Max(0, hi - lo) / n);
    }
}
