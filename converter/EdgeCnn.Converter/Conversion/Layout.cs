namespace EdgeCnn.Converter.Conversion;

/// <summary>Permutations between ONNX's channels-first layout and the runtime's channels-last layout.</summary>
internal static class Layout
{
    /// <summary>[N, C, s1.., sk] -> [N, s1.., sk, C].</summary>
    public static int[] ToChannelsLast(int rank)
    {
        var p = new int[rank];
        p[0] = 0;
        for (int i = 1; i < rank - 1; i++)
        {
            p[i] = i + 1;
        }

        p[rank - 1] = 1;
        return p;
    }

    /// <summary>[N, s1.., sk, C] -> [N, C, s1.., sk].</summary>
    public static int[] ToOnnx(int rank)
    {
        var p = new int[rank];
        p[0] = 0;
        p[1] = rank - 1;
        for (int i = 2; i < rank; i++)
        {
            p[i] = i - 1;
        }

        return p;
    }

    public static int[] Permute(int[] shape, int[] perm)
    {
        var r = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            r[i] = shape[perm[i]];
        }

        return r;
    }

    /// <summary>Where ONNX axis a lands in the channels-last tensor.</summary>
    public static int AxisToChannelsLast(int axis, int rank) => axis == 0 ? 0 : axis == 1 ? rank - 1 : axis - 1;

    /// <summary>Transposes a row-major constant by a permutation.</summary>
    public static float[] PermuteData(float[] data, int[] shape, int[] perm)
    {
        int r = shape.Length;
        int[] outShape = Permute(shape, perm);
        var inStrides = new int[r];
        int s = 1;
        for (int i = r - 1; i >= 0; i--)
        {
            inStrides[i] = s;
            s *= shape[i];
        }

        var result = new float[data.Length];
        var index = new int[r];
        for (int o = 0; o < result.Length; o++)
        {
            int src = 0;
            for (int i = 0; i < r; i++)
            {
                src += index[i] * inStrides[perm[i]];
            }

            result[o] = data[src];
            for (int i = r - 1; i >= 0; i--)
            {
                if (++index[i] < outShape[i])
                {
                    break;
                }

                index[i] = 0;
            }
        }

        return result;
    }
}
