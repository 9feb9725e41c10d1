using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Transpose;

/// <summary>
/// fp32 batch of 2-D transposes, [Batch, Rows, Cols] -&gt; [Batch, Cols, Rows], in 8x8 register tiles: 8 row loads,
/// unpacklo/hi + shufps + vperm2f128 (24 shuffles), 8 stores. Partial tiles (Rows or Cols not a multiple of 8) use the same
/// shuffles with masked loads and stores; a matrix of fewer than 8 rows (the 3-channel image at the graph input) stores
/// whole vectors that overlap the next output row, which the next store overwrites, and masks only at its end. Three rows
/// (a 3-channel image NCHW -&gt; NHWC, where every 8x8 tile would be 5/8 empty) interleave 8 columns per step instead
/// (TransposeF32.Avx2.Interleave3.cs).
/// </summary>
internal sealed unsafe partial class TransposeF32Avx2Kernel(string name, TransposePlan plan) : Kernel
{
    private readonly float* _x = (float*)plan.X;
    private readonly float* _y = (float*)plan.Y;
    private readonly int _batch = plan.Batch;
    private readonly int _rows = plan.Rows;
    private readonly int _cols = plan.Cols;

    public override string Name => name;

    public static bool Accepts(TransposePlan plan) => plan.IsBatched2D;

    public override void Run()
    {
        int rows = _rows, cols = _cols;
        long matrix = (long)rows * cols;
        for (int b = 0; b < _batch; b++)
        {
            float* x = _x + (b * matrix), y = _y + (b * matrix);
            if (rows == 1 || cols == 1)
            {
                Buffer.MemoryCopy(x, y, matrix * sizeof(float), matrix * sizeof(float));
                continue;
            }

            if (rows == 3)
            {
                Interleave3(x, y, cols);
                continue;
            }

            Matrix(x, y, rows, cols);
        }
    }

    private static void Matrix(float* x, float* y, int rows, int cols)
    {
        long end = (long)rows * cols; // output elements of this matrix
        for (int i0 = 0; i0 < rows; i0 += 8)
        {
            int r = Math.Min(8, rows - i0);
            Vector256<float> rowMask = Mask(r);
            int j0 = 0;
            if (r == 8)
            {
                for (; j0 <= cols - 8; j0 += 8)
                {
                    float* s = x + ((long)i0 * cols) + j0;
                    Transpose8x8(
                        Avx.LoadVector256(s), Avx.LoadVector256(s + cols), Avx.LoadVector256(s + (2L * cols)), Avx.LoadVector256(s + (3L * cols)),
                        Avx.LoadVector256(s + (4L * cols)), Avx.LoadVector256(s + (5L * cols)), Avx.LoadVector256(s + (6L * cols)), Avx.LoadVector256(s + (7L * cols)),
                        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3,
                        out Vector256<float> o4, out Vector256<float> o5, out Vector256<float> o6, out Vector256<float> o7);
                    float* d = y + ((long)j0 * rows) + i0;
                    Avx.Store(d, o0);
                    Avx.Store(d + rows, o1);
                    Avx.Store(d + (2L * rows), o2);
                    Avx.Store(d + (3L * rows), o3);
                    Avx.Store(d + (4L * rows), o4);
                    Avx.Store(d + (5L * rows), o5);
                    Avx.Store(d + (6L * rows), o6);
                    Avx.Store(d + (7L * rows), o7);
                }
            }

            for (; j0 < cols; j0 += 8)
            {
                int c = Math.Min(8, cols - j0);
                Partial(x + ((long)i0 * cols) + j0, cols, r, c, y + ((long)j0 * rows) + i0, rows, rowMask,
                    rows < 8, y + end - 8);
            }
        }
    }

    /// <summary>An r x c tile (r, c &lt;= 8). overlap: the matrix has fewer than 8 rows, so an output row may be stored as a
    /// whole vector when it starts at or before overlapLimit (8 elements before the end of the matrix).</summary>
    private static void Partial(float* s, int cols, int r, int c, float* d, int rows, Vector256<float> rowMask, bool overlap, float* overlapLimit)
    {
        Vector256<float> colMask = Mask(c);
        Vector256<float> l0 = Load(s, 0, cols, r, c, colMask), l1 = Load(s, 1, cols, r, c, colMask);
        Vector256<float> l2 = Load(s, 2, cols, r, c, colMask), l3 = Load(s, 3, cols, r, c, colMask);
        Vector256<float> l4 = Load(s, 4, cols, r, c, colMask), l5 = Load(s, 5, cols, r, c, colMask);
        Vector256<float> l6 = Load(s, 6, cols, r, c, colMask), l7 = Load(s, 7, cols, r, c, colMask);
        Transpose8x8(l0, l1, l2, l3, l4, l5, l6, l7,
            out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3,
            out Vector256<float> o4, out Vector256<float> o5, out Vector256<float> o6, out Vector256<float> o7);
        Store(d, 0, rows, c, o0, rowMask, overlap, overlapLimit);
        Store(d, 1, rows, c, o1, rowMask, overlap, overlapLimit);
        Store(d, 2, rows, c, o2, rowMask, overlap, overlapLimit);
        Store(d, 3, rows, c, o3, rowMask, overlap, overlapLimit);
        Store(d, 4, rows, c, o4, rowMask, overlap, overlapLimit);
        Store(d, 5, rows, c, o5, rowMask, overlap, overlapLimit);
        Store(d, 6, rows, c, o6, rowMask, overlap, overlapLimit);
        Store(d, 7, rows, c, o7, rowMask, overlap, overlapLimit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float* s, int k, int cols, int r, int c, Vector256<float> colMask) =>
        k >= r ? Vector256<float>.Zero
        : c == 8 ? Avx.LoadVector256(s + ((long)k * cols))
        : Avx.MaskLoad(s + ((long)k * cols), colMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* d, int k, int rows, int c, Vector256<float> v, Vector256<float> rowMask, bool overlap, float* overlapLimit)
    {
        if (k >= c)
        {
            return;
        }

        float* p = d + ((long)k * rows);
        if (overlap && p <= overlapLimit)
        {
            Avx.Store(p, v); // lanes past the row land on the next output rows, stored (correctly) after this one
        }
        else
        {
            Avx.MaskStore(p, rowMask, v);
        }
    }

    /// <summary>Lanes 0..n-1 all ones, the rest zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mask(int n) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(n)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3,
        out Vector256<float> o4, out Vector256<float> o5, out Vector256<float> o6, out Vector256<float> o7)
    {
        // Per 128-bit lane: interleave pairs of rows, then pairs of pairs, giving 4x4 transposes; vperm2f128 joins halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        o0 = Avx.Permute2x128(u0, u4, 0x20);
        o1 = Avx.Permute2x128(u1, u5, 0x20);
        o2 = Avx.Permute2x128(u2, u6, 0x20);
        o3 = Avx.Permute2x128(u3, u7, 0x20);
        o4 = Avx.Permute2x128(u0, u4, 0x31);
        o5 = Avx.Permute2x128(u1, u5, 0x31);
        o6 = Avx.Permute2x128(u2, u6, 0x31);
        o7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
