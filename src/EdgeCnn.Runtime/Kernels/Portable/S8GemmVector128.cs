using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// s8 GEMM 4x8c4 through the portable Vector128 API: the path when AVX2 is off, and the ARM-portable form of the
/// algorithm. The c4 panel (shared with the AVX2 kernel) holds each column's 4 weights in one int32 lane; shifting the
/// lane left then arithmetically right splits it into 4 sign-extended weight planes, and each row's 4 activations are
/// scalars, so the sum is 4 exact int32 multiply-adds per lane (|x * w| &lt;= 2^14) with no cross-lane fold at the end.
/// </summary>
public readonly unsafe struct S8Gemm4x8c4Vector128 : IS8GemmMicrokernel
{
    public static int Mr => 4;

    public static int Nr => 8;

    public static int ActivationShift => 0;

    public static bool IsSupported => true;

    public static string Suffix => "4x8c4-minmax-v128";

    public static void Run(ref S8GemmCall c)
    {
        Vector128<int> acc0L = default, acc0H = default, acc1L = default, acc1H = default;
        Vector128<int> acc2L = default, acc2H = default, acc3L = default, acc3H = default;
        sbyte* w = c.W;
        sbyte** ap = c.A;
        sbyte* zero = c.Zero;
        nint offset = c.AOffset;
        int kc = c.Kc;
        for (int t = 0; t < c.Taps; t++, ap += 4)
        {
            sbyte* a0 = S8Rows.Row(ap[0], zero, offset), a1 = S8Rows.Row(ap[1], zero, offset);
            sbyte* a2 = S8Rows.Row(ap[2], zero, offset), a3 = S8Rows.Row(ap[3], zero, offset);
            for (int k = 0; k < kc; k += 4, w += 32)
            {
                int rest = kc - k;
                Vector128<int> pL = Vector128.Load((int*)w), pH = Vector128.Load((int*)(w + 16));
                Vector128<int> l0 = Plane(pL, 24), l1 = Plane(pL, 16), l2 = Plane(pL, 8), l3 = Vector128.ShiftRightArithmetic(pL, 24);
                Vector128<int> h0 = Plane(pH, 24), h1 = Plane(pH, 16), h2 = Plane(pH, 8), h3 = Vector128.ShiftRightArithmetic(pH, 24);
                int x = rest >= 4 ? S8Rows.Load4(a0 + k) : S8Rows.LoadTail(a0 + k, rest);
                acc0L += Dot(l0, l1, l2, l3, x);
                acc0H += Dot(h0, h1, h2, h3, x);
                x = rest >= 4 ? S8Rows.Load4(a1 + k) : S8Rows.LoadTail(a1 + k, rest);
                acc1L += Dot(l0, l1, l2, l3, x);
                acc1H += Dot(h0, h1, h2, h3, x);
                x = rest >= 4 ? S8Rows.Load4(a2 + k) : S8Rows.LoadTail(a2 + k, rest);
                acc2L += Dot(l0, l1, l2, l3, x);
                acc2H += Dot(h0, h1, h2, h3, x);
                x = rest >= 4 ? S8Rows.Load4(a3 + k) : S8Rows.LoadTail(a3 + k, rest);
                acc3L += Dot(l0, l1, l2, l3, x);
                acc3H += Dot(h0, h1, h2, h3, x);
            }
        }

        Vector128<int> biasL = Vector128.Load(c.Bias), biasH = Vector128.Load(c.Bias + 4);
        S8RequantView qL = c.Q, qH = c.Q.Offset(4);
        sbyte* y = c.C;
        int mr = c.Mr, ncL = Math.Min(c.Nc, 4), ncH = c.Nc - ncL;
        for (int r = 0; r < mr; r++, y += c.CStride)
        {
            (Vector128<int> lo, Vector128<int> hi) = r switch
            {
                0 => (acc0L, acc0H),
                1 => (acc1L, acc1H),
                2 => (acc2L, acc2H),
                _ => (acc3L, acc3H),
            };
            S8RequantVector128.Store(y, S8RequantVector128.Apply(lo + biasL, qL), ncL);
            if (ncH > 0)
            {
                S8RequantVector128.Store(y + 4, S8RequantVector128.Apply(hi + biasH, qH), ncH);
            }
        }
    }

    /// <summary>Byte (24 - shift) / 8 of each lane, sign-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Plane(Vector128<int> p, int shift) => Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(p, shift), 24);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Dot(Vector128<int> w0, Vector128<int> w1, Vector128<int> w2, Vector128<int> w3, int x) =>
        (w0 * (int)(sbyte)x) + (w1 * (int)(sbyte)(x >> 8)) + (w2 * (int)(sbyte)(x >> 16)) + (w3 * (x >> 24));
}
