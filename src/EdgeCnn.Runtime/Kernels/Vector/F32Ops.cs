using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>
/// The few fp32 vector operations the element-wise, pooling and softmax kernels need, at one width. Kernels are generic over
/// it (one loop nest, three widths: Ops128 / Ops256 / Ops512), and the JIT specialises each, so it costs nothing at Run.
/// Max and Min are the IEEE 754:2019 forms (NaN propagates), as MathF.Max / MathF.Min in the reference kernels.
/// </summary>
internal unsafe interface IF32Ops<TVec>
    where TVec : struct
{
    static abstract int Count { get; }

    static abstract TVec Load(float* p);

    static abstract void Store(TVec v, float* p);

    static abstract TVec Broadcast(float x);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    static abstract TVec Max(TVec a, TVec b);

    static abstract TVec Min(TVec a, TVec b);

    static abstract TVec Exp(TVec x);

    static abstract float Sum(TVec v);

    static abstract float MaxAcross(TVec v);

    /// <summary>
    /// An output clamp: one max and one min instruction (MaxNative / MinNative) with v as the operand x86 returns when either
    /// is NaN, so a NaN still propagates; a -0 clamped at 0 may stay -0. Not for reductions (a NaN accumulator would be lost).
    /// </summary>
    static abstract TVec Clamp(TVec v, TVec min, TVec max);

    /// <summary>One vmaxps / NEON fmax; on x86 b is returned when either is NaN (reductions track NaN with IsNaN).</summary>
    static abstract TVec MaxNative(TVec a, TVec b);

    /// <summary>All-ones lanes where v is NaN, or-ed into a running mask.</summary>
    static abstract TVec OrNaN(TVec mask, TVec v);

    /// <summary>NaN in the lanes of mask, v elsewhere.</summary>
    static abstract TVec SelectNaN(TVec mask, TVec v);

    /// <summary>Lanes swapped within each pair: [v1, v0, v3, v2, ...] (one vpermilps / NEON rev64).</summary>
    static abstract TVec SwapPairs(TVec v);
}

internal readonly unsafe struct Ops128 : IF32Ops<Vector128<float>>
{
    public static int Count => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> v, float* p) => v.Store(p);

    public static Vector128<float> Broadcast(float x) => Vector128.Create(x);

    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    public static Vector128<float> Exp(Vector128<float> x) => Vector128.Exp(x);

    public static float Sum(Vector128<float> v) => Vector128.Sum(v);

    public static Vector128<float> Clamp(Vector128<float> v, Vector128<float> min, Vector128<float> max) =>
        Vector128.MinNative(max, Vector128.MaxNative(min, v));

    public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    public static Vector128<float> OrNaN(Vector128<float> mask, Vector128<float> v) => mask | Vector128.IsNaN(v);

    public static Vector128<float> SelectNaN(Vector128<float> mask, Vector128<float> v) =>
        Vector128.ConditionalSelect(mask, Vector128.Create(float.NaN), v);

    public static Vector128<float> SwapPairs(Vector128<float> v) => Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2));

    public static float MaxAcross(Vector128<float> v) => MathF.Max(MathF.Max(v[0], v[1]), MathF.Max(v[2], v[3]));
}

internal readonly unsafe struct Ops256 : IF32Ops<Vector256<float>>
{
    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> v, float* p) => v.Store(p);

    public static Vector256<float> Broadcast(float x) => Vector256.Create(x);

    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    public static Vector256<float> Exp(Vector256<float> x) => Vector256.Exp(x);

    public static float Sum(Vector256<float> v) => Vector256.Sum(v);

    public static Vector256<float> Clamp(Vector256<float> v, Vector256<float> min, Vector256<float> max) =>
        Vector256.MinNative(max, Vector256.MaxNative(min, v));

    public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    public static Vector256<float> OrNaN(Vector256<float> mask, Vector256<float> v) => mask | Vector256.IsNaN(v);

    public static Vector256<float> SelectNaN(Vector256<float> mask, Vector256<float> v) =>
        Vector256.ConditionalSelect(mask, Vector256.Create(float.NaN), v);

    public static Vector256<float> SwapPairs(Vector256<float> v) => Vector256.Shuffle(v, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6));

    public static float MaxAcross(Vector256<float> v) => Ops128.MaxAcross(Vector128.Max(v.GetLower(), v.GetUpper()));
}

internal readonly unsafe struct Ops512 : IF32Ops<Vector512<float>>
{
    public static int Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> v, float* p) => v.Store(p);

    public static Vector512<float> Broadcast(float x) => Vector512.Create(x);

    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);

    public static Vector512<float> Exp(Vector512<float> x) => Vector512.Exp(x);

    public static float Sum(Vector512<float> v) => Vector512.Sum(v);

    public static Vector512<float> Clamp(Vector512<float> v, Vector512<float> min, Vector512<float> max) =>
        Vector512.MinNative(max, Vector512.MaxNative(min, v));

    public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

    public static Vector512<float> OrNaN(Vector512<float> mask, Vector512<float> v) => mask | Vector512.IsNaN(v);

    public static Vector512<float> SelectNaN(Vector512<float> mask, Vector512<float> v) =>
        Vector512.ConditionalSelect(mask, Vector512.Create(float.NaN), v);

    public static Vector512<float> SwapPairs(Vector512<float> v) => Vector512.Shuffle(v, Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));

    public static float MaxAcross(Vector512<float> v) => Ops256.MaxAcross(Vector256.Max(v.GetLower(), v.GetUpper()));
}
