namespace EdgeCnn.Runtime.Graph;

/// <summary>Overflow-checked shape arithmetic shared by the verifier, shape inference and the planner.</summary>
public static class ShapeMath
{
    /// <summary>Product of dims; throws OverflowException past long range.</summary>
    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            n = checked(n * d);
        }

        return n;
    }

    /// <summary>Row-major strides (in elements) of a shape.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s = checked(s * shape[i]);
        }

        return strides;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    /// <summary>Normalizes a possibly negative axis against a rank; returns -1 when out of range.</summary>
    public static int NormalizeAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        return a >= 0 && a < rank ? a : -1;
    }
}
