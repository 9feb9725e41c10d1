using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// int8 pooling channel loops through the portable Vector128 API: max over 16 channels per vector, average as int32 sums
/// of 4 channels; the arithmetic of S8PoolAvx2.
/// </summary>
public readonly unsafe struct S8PoolVector128 : IS8PoolPixel
{
    public static void Max(sbyte** taps, int count, sbyte* y, int channels, int inputZeroPoint, int outputZeroPoint, bool identity, in S8Rescale rescale)
    {
        if (count == 0)
        {
            new Span<sbyte>(y, channels).Fill((sbyte)inputZeroPoint);
        }
        else
        {
            int c = 0;
            for (; c + 16 <= channels; c += 16)
            {
                Vector128<sbyte> m = Vector128.Load(taps[0] + c);
                for (int t = 1; t < count; t++)
                {
                    m = Vector128.Max(m, Vector128.Load(taps[t] + c));
                }

                m.Store(y + c);
            }

            for (; c < channels; c++)
            {
                int m = taps[0][c];
                for (int t = 1; t < count; t++)
                {
                    m = Math.Max(m, taps[t][c]);
                }

                y[c] = (sbyte)m;
            }
        }

        if (!identity)
        {
            S8ElementwiseVector128.RequantizeRow(y, y, channels, inputZeroPoint, outputZeroPoint, rescale);
        }
    }

    public static void Average(sbyte** taps, int count, sbyte* y, int channels, int inputZeroPoint, int outputZeroPoint, in S8Rescale rescale)
    {
        Vector128<int> bias = Vector128.Create(-count * inputZeroPoint), zy = Vector128.Create(outputZeroPoint);
        for (int c = 0; c < channels; c += 4)
        {
            int n = Math.Min(4, channels - c);
            Vector128<int> sum = bias;
            for (int t = 0; t < count; t++)
            {
                sum += Load4(taps[t] + c, n);
            }

            Vector128<int> v = S8ElementwiseVector128.Multiply(sum, rescale) + zy;
            S8RequantVector128.Store(y + c, Vector128.Min(Vector128.Max(v, Vector128.Create(-128)), Vector128.Create(127)), n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Load4(sbyte* p, int n)
    {
        int bits = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            bits = (bits << 8) | (byte)p[i];
        }

        return Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalar(bits).AsSByte()));
    }
}
