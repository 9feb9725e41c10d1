namespace EdgeCnn.Runtime.Tests.TestSupport;

/// <summary>Comparisons with the messages a failing kernel test needs to be reproduced.</summary>
public static class Tolerance
{
    /// <summary>ONNX backend test tolerance: |a - e| &lt;= atol + rtol * |e|.</summary>
    public static void AllClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string context, float rtol = 1e-3f, float atol = 1e-5f)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            bool ok = (float.IsNaN(e) && float.IsNaN(a)) || e == a || MathF.Abs(a - e) <= atol + (rtol * MathF.Abs(e));
            Assert.True(ok, $"{context}: element {i} is {a}, expected {e}");
        }
    }

    public static void Equal(ReadOnlySpan<sbyte> expected, ReadOnlySpan<sbyte> actual, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == actual[i], $"{context}: element {i} is {actual[i]}, expected {expected[i]}");
        }
    }
}
