namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// One element of a binary element-wise op. A struct holding its constants (requantization multipliers, tables) that
/// were computed at Plan; the driver is generic over it, so the call is inlined and nothing is boxed.
/// </summary>
public interface IBinaryOperator<TA, TB, TY>
{
    TY Invoke(TA a, TB b);
}

/// <summary>
/// The one broadcast driver of every binary element-wise op (Add, Sub, Mul, Div, PRelu; fp32 and int8): an odometer over
/// the output in row-major order. Shape and strides come from BroadcastLayout (Ops/Broadcast.cs): per output axis, the
/// element stride of each input, 0 on an axis the input broadcasts along. The innermost axis is a plain loop.
/// </summary>
public static class BroadcastKernels
{
    /// <summary>Most axes a layout can have (the format's maximum rank).</summary>
    public const int MaxRank = 6;

    /// <summary>
    /// y[i] = op(a[offsetA(i)], b[offsetB(i)]) for every output index i in order. In place (y over a) is safe when a has
    /// the output's shape: offsetA(i) == i, so a[i] is read before y[i] is written, and no later element reads it.
    /// </summary>
    public static void Run<TA, TB, TY, TOp>(ReadOnlySpan<TA> a, ReadOnlySpan<TB> b, Span<TY> y, ReadOnlySpan<int> shape,
        ReadOnlySpan<int> strideA, ReadOnlySpan<int> strideB, TOp op)
        where TOp : struct, IBinaryOperator<TA, TB, TY>
    {
        int rank = shape.Length;
        int inner = shape[rank - 1];
        int innerA = strideA[rank - 1], innerB = strideB[rank - 1];
        int outer = y.Length / inner;
        Span<int> index = stackalloc int[MaxRank];
        index.Clear();
        int offsetA = 0, offsetB = 0, o = 0;
        for (int n = 0; n < outer; n++)
        {
            int pa = offsetA, pb = offsetB;
            for (int i = 0; i < inner; i++)
            {
                y[o++] = op.Invoke(a[pa], b[pb]);
                pa += innerA;
                pb += innerB;
            }

            // Advance the odometer over the outer axes: step the innermost one, carry into the next when it wraps.
            for (int d = rank - 2; d >= 0; d--)
            {
                offsetA += strideA[d];
                offsetB += strideB[d];
                if (++index[d] < shape[d])
                {
                    break;
                }

                index[d] = 0;
                offsetA -= strideA[d] * shape[d];
                offsetB -= strideB[d] * shape[d];
            }
        }
    }
}
