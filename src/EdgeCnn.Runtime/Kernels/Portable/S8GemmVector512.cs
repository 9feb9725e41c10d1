using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Int8;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// s8 GEMM 4x16c4 through the portable Vector512 API (the packing of the 4x16c4 u8 kernels, without the u8 shift): one
/// 64-byte panel row is 16 columns x 4 weights, split into 4 sign-extended planes by lane shifts as in
/// <see cref="S8Gemm4x8c4Vector128"/>; exact int32 multiply-adds, no fold at the end. Accelerated where the JIT maps
/// Vector512 to AVX-512; elsewhere the API's software fallback runs it, which is how it is tested on AVX2 hosts.
/// </summary>
public readonly unsafe struct S8Gemm4x16c4Vector512 : IS8GemmMicrokernel
{
    public static int Mr => 4;

    public static int Nr => 16;

    public static int ActivationShift => 0;

    public static bool IsSupported => true;

    public static string Suffix => "4x16c4-minmax-avx512";

    public static void Run(ref S8GemmCall c)
    {
        Vector512<int> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
        sbyte* w = c.W;
        sbyte** ap = c.A;
        sbyte* zero = c.Zero;
        nint offset = c.AOffset;
        int kc = c.Kc;
        for (int t = 0; t < c.Taps; t++, ap += 4)
        {
            sbyte* a0 = S8Rows.Row(ap[0], zero, offset), a1 = S8Rows.Row(ap[1], zero, offset);
            sbyte* a2 = S8Rows.Row(ap[2], zero, offset), a3 = S8Rows.Row(ap[3], zero, offset);
            for (int k = 0; k < kc; k += 4, w += 64)
            {
                int rest = kc - k;
                Vector512<int> p = Vector512.Load((int*)w);
                Vector512<int> p0 = Plane(p, 24), p1 = Plane(p, 16), p2 = Plane(p, 8), p3 = Vector512.ShiftRightArithmetic(p, 24);
                acc0 += Dot(p0, p1, p2, p3, rest >= 4 ? S8Rows.Load4(a0 + k) : S8Rows.LoadTail(a0 + k, rest));
                acc1 += Dot(p0, p1, p2, p3, rest >= 4 ? S8Rows.Load4(a1 + k) : S8Rows.LoadTail(a1 + k, rest));
                acc2 += Dot(p0, p1, p2, p3, rest >= 4 ? S8Rows.Load4(a2 + k) : S8Rows.LoadTail(a2 + k, rest));
                acc3 += Dot(p0, p1, p2, p3, rest >= 4 ? S8Rows.Load4(a3 + k) : S8Rows.LoadTail(a3 + k, rest));
            }
        }

        Vector512<int> bias = Vector512.Load(c.Bias);
        S8RequantView q = c.Q;
        sbyte* y = c.C;
        int mr = c.Mr, nc = c.Nc;
        S8RequantVector512.Store(y, S8RequantVector512.Apply(acc0 + bias, q), nc);
        if (mr > 1)
        {
            S8RequantVector512.Store(y + c.CStride, S8RequantVector512.Apply(acc1 + bias, q), nc);
        }

        if (mr > 2)
        {
            S8RequantVector512.Store(y + (2 * c.CStride), S8RequantVector512.Apply(acc2 + bias, q), nc);
        }

        if (mr > 3)
        {
            S8RequantVector512.Store(y + (3 * c.CStride), S8RequantVector512.Apply(acc3 + bias, q), nc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Plane(Vector512<int> p, int shift) => Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(p, shift), 24);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Dot(Vector512<int> w0, Vector512<int> w1, Vector512<int> w2, Vector512<int> w3, int x) =>
        (w0 * (int)(sbyte)x) + (w1 * (int)(sbyte)(x >> 8)) + (w2 * (int)(sbyte)(x >> 16)) + (w3 * (x >> 24));
}
