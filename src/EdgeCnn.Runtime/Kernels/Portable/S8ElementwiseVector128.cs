using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// The int8 element-wise rows of S8ElementwiseAvx2 through the portable Vector128 API (4 int32 lanes per step), bit-exact
/// with the reference: the 64-bit products through Widen, uniform shifts by a register count.
/// </summary>
public static unsafe class S8ElementwiseVector128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Multiply(Vector128<int> x, in S8Rescale r)
    {
        x = Vector128.ShiftLeft(x, r.LeftShift);
        (Vector128<long> x0, Vector128<long> x1) = Vector128.Widen(x);
        Vector128<long> m = Vector128.Create((long)r.Multiplier), nudge = Vector128.Create(1L << 30);
        Vector128<int> high = Vector128.Narrow(Vector128.ShiftRightArithmetic((x0 * m) + nudge, 31), Vector128.ShiftRightArithmetic((x1 * m) + nudge, 31));
        Vector128<int> remainder = high & Vector128.Create(r.RoundMask);
        Vector128<int> threshold = Vector128.Create(r.RoundHalf) - Vector128.ShiftRightArithmetic(high, 31);
        return Vector128.ShiftRightArithmetic(high, r.RightShift) - Vector128.GreaterThan(remainder, threshold);
    }

    public static void RequantizeRow(sbyte* x, sbyte* y, int count, int inputZeroPoint, int outputZeroPoint, S8Rescale r)
    {
        Vector128<int> zx = Vector128.Create(inputZeroPoint), zy = Vector128.Create(outputZeroPoint);
        for (int i = 0; i < count; i += 4)
        {
            int n = Math.Min(4, count - i);
            S8RequantVector128.Store(y + i, Clamp(Multiply(Load4(x + i, n) - zx, r) + zy), n);
        }
    }

    public static void AddRow(sbyte* a, sbyte* b, sbyte* y, int count, in S8AddParams p)
    {
        Vector128<int> za = Vector128.Create(p.ZeroA), zb = Vector128.Create(p.ZeroB), zy = Vector128.Create(p.ZeroY);
        for (int i = 0; i < count; i += 4)
        {
            int n = Math.Min(4, count - i);
            Vector128<int> sa = Multiply(Vector128.ShiftLeft(Load4(a + i, n) - za, Reference.AddS8.LeftShift), p.A);
            Vector128<int> sb = Multiply(Vector128.ShiftLeft(Load4(b + i, n) - zb, Reference.AddS8.LeftShift), p.B);
            S8RequantVector128.Store(y + i, Clamp(Multiply(p.Subtract ? sa - sb : sa + sb, p.Y) + zy), n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Clamp(Vector128<int> v) => Vector128.Min(Vector128.Max(v, Vector128.Create(-128)), Vector128.Create(127));

    /// <summary>n (1..4) int8 values widened to int32 lanes, zero above; nothing past them is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Load4(sbyte* p, int n)
    {
        int bits = n == 4 ? Unsafe.ReadUnaligned<int>(p) : 0;
        for (int k = n == 4 ? -1 : n - 1; k >= 0; k--)
        {
            bits = (bits << 8) | (byte)p[k];
        }

        return Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalar(bits).AsSByte()));
    }
}
