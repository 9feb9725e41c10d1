namespace EdgeCnn.Converter.Quantization;

/// <summary>
/// Running sums comparing a reference signal x (fp32) with its approximation y (int8, dequantized): SQNR in dB =
/// 10 log10(sum x^2 / sum (x - y)^2) and cosine similarity. Sums in double; merges exactly across threads when added in a
/// fixed order.
/// </summary>
public sealed class ErrorAccumulator
{
    /// <summary>Reported when the noise is exactly zero (identical values): a finite ceiling JSON can hold.</summary>
    public const double MaxSqnrDb = 200;

    public double SignalPower { get; private set; }

    public double NoisePower { get; private set; }

    public double Dot { get; private set; }

    public double ApproxPower { get; private set; }

    public long Count { get; private set; }

    public double SqnrDb => NoisePower <= 0 ? MaxSqnrDb
        : SignalPower <= 0 ? -MaxSqnrDb
        : Math.Min(MaxSqnrDb, 10 * Math.Log10(SignalPower / NoisePower));

    public double Cosine => SignalPower <= 0 && ApproxPower <= 0 ? 1
        : SignalPower <= 0 || ApproxPower <= 0 ? 0
        : Dot / Math.Sqrt(SignalPower * ApproxPower);

    public void Add(ReadOnlySpan<float> reference, ReadOnlySpan<float> approx)
    {
        double s = 0, n = 0, d = 0, a = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double x = reference[i], y = approx[i];
            s += x * x;
            n += (x - y) * (x - y);
            d += x * y;
            a += y * y;
        }

        SignalPower += s;
        NoisePower += n;
        Dot += d;
        ApproxPower += a;
        Count += reference.Length;
    }

    public void Merge(ErrorAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        SignalPower += other.SignalPower;
        NoisePower += other.NoisePower;
        Dot += other.Dot;
        ApproxPower += other.ApproxPower;
        Count += other.Count;
    }
}
