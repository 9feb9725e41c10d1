using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// int8 pooling channel loops on AVX2: max over 32 channels per vpmaxsb, then (unless the quantizations are equal) the
/// rescale row in place; average as int32 sums of 8 channels (vpmovsxbd), minus taps * z_x, then the divisor's rescale.
/// Channel tails go through copies, so nothing past a row is read.
/// </summary>
public readonly unsafe struct S8PoolAvx2 : IS8PoolPixel
{
    public static void Max(sbyte** taps, int count, sbyte* y, int channels, int inputZeroPoint, int outputZeroPoint, bool identity, in S8Rescale rescale)
    {
        if (count == 0)
        {
            new Span<sbyte>(y, channels).Fill((sbyte)inputZeroPoint); // an empty window is real 0: q = z_x, rescaled below
        }
        else
        {
            int c = 0;
            for (; c + 32 <= channels; c += 32)
            {
                Vector256<sbyte> m = Avx.LoadVector256(taps[0] + c);
                for (int t = 1; t < count; t++)
                {
                    m = Avx2.Max(m, Avx.LoadVector256(taps[t] + c));
                }

                Avx.Store(y + c, m);
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
            S8ElementwiseAvx2.RequantizeRow(y, y, channels, inputZeroPoint, outputZeroPoint, rescale);
        }
    }

    public static void Average(sbyte** taps, int count, sbyte* y, int channels, int inputZeroPoint, int outputZeroPoint, in S8Rescale rescale)
    {
        // |sum of q| <= 128 * taps, and taps <= 2^23 (the operator's limit): the int32 sums are exact.
        Vector256<int> bias = Vector256.Create(-count * inputZeroPoint), zy = Vector256.Create(outputZeroPoint);
        Vector256<int> lo = Vector256.Create(-128), hi = Vector256.Create(127);
        for (int c = 0; c < channels; c += 8)
        {
            int n = Math.Min(8, channels - c);
            Vector256<int> sum = bias;
            for (int t = 0; t < count; t++)
            {
                sum = Avx2.Add(sum, Load8(taps[t] + c, n));
            }

            Vector256<int> v = Avx2.Add(S8ElementwiseAvx2.Multiply(sum, rescale), zy);
            S8RequantAvx2.Store(y + c, Avx2.Min(Avx2.Max(v, lo), hi), n);
        }
    }

    /// <summary>n (1..8) int8 channels sign-extended to int32 lanes, zero above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load8(sbyte* p, int n)
    {
        if (n == 8)
        {
            return Avx2.ConvertToVector256Int32(p);
        }

        long bits = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            bits = (bits << 8) | (byte)p[i];
        }

        return Avx2.ConvertToVector256Int32(Vector128.CreateScalar(bits).AsSByte());
    }
}
