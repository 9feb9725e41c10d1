namespace EdgeCnn.Converter.Testing;

/// <summary>
/// Element-wise comparison of one output with its expected values, numpy.testing.assert_allclose style:
/// |actual - expected| &lt;= atol + rtol * |expected|, NaN equals NaN, an infinity equals only itself.
/// </summary>
internal static class OutputComparer
{
    /// <summary>The comparison of one output: its largest absolute error and the element furthest past the tolerance.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
    public readonly record struct Outcome(double MaxAbsError, int WorstIndex, double WorstExcess)
    {
        public bool Passed => WorstExcess <= 0;
    }

    public static Outcome Compare(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, BackendTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"{actual.Length} actual values for {expected.Length} expected", nameof(actual));
        }

        double maxAbs = 0;
        int worst = 0;
        double worstExcess = double.NegativeInfinity; // no element (or only matching NaNs): passed
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double a = actual[i];
            double excess = Excess(e, a, options, out double abs);
            maxAbs = Math.Max(maxAbs, abs);

            if (excess > worstExcess)
            {
                worstExcess = excess;
                worst = i;
            }
        }

        return new Outcome(maxAbs, worst, worstExcess);
    }

    /// <summary>How far past the tolerance an element is (&lt;= 0 within it; +infinity for NaN or infinity mismatches).</summary>
    private static double Excess(double e, double a, BackendTestOptions options, out double abs)
    {
        if (double.IsNaN(e) || double.IsNaN(a))
        {
            abs = double.IsNaN(e) && double.IsNaN(a) ? 0 : double.PositiveInfinity;
            return double.IsNaN(e) && double.IsNaN(a) ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (double.IsInfinity(e) || double.IsInfinity(a))
        {
            abs = e.Equals(a) ? 0 : double.PositiveInfinity;
            return e.Equals(a) ? double.NegativeInfinity : double.PositiveInfinity;
        }

        abs = Math.Abs(a - e);
        return abs - (options.Atol + (options.Rtol * Math.Abs(e)));
    }
}
