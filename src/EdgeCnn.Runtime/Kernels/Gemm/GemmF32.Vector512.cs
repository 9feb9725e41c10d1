using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// f32-gemm-7x16-minmax-avx512: 7 rows x 16 columns, one zmm accumulator per row (XNNPACK's avx512f tile). Per step: 1
/// weight load, 7 broadcasts, 7 FMAs. Written on the portable Vector512 API, so it also runs (emulated, slowly) where AVX-512
/// is absent: the tests force it there for correctness; Plan picks it only where Vector512 is accelerated.
/// </summary>
internal readonly unsafe struct Gemm7x16Vector512 : IGemmMicrokernelF32
{
    public static int MR => 7;

    public static int NR => 16;

    [SkipLocalsInit]
    public static void Run(nint mr, nint nc, nint kc, nint ks, float** a, nint aOffset, float* zero, float* w, float* c, nint cStride,
        float min, float max)
    {
        float* c0 = c;
        float* c1 = mr < 2 ? c0 : c0 + cStride;
        float* c2 = mr < 3 ? c1 : c1 + cStride;
        float* c3 = mr < 4 ? c2 : c2 + cStride;
        float* c4 = mr < 5 ? c3 : c3 + cStride;
        float* c5 = mr < 6 ? c4 : c4 + cStride;
        float* c6 = mr < 7 ? c5 : c5 + cStride;
        Vector512<float> vmin = Vector512.Create(min), vmax = Vector512.Create(max);
        float* tail = stackalloc float[7 * 16]; // the last partial block, row by row; uninitialized (SkipLocalsInit)
        while (true)
        {
            Vector512<float> acc0 = Vector512.Load(w);
            Vector512<float> acc1 = acc0, acc2 = acc0, acc3 = acc0, acc4 = acc0, acc5 = acc0, acc6 = acc0;
            w += 16;
            float** ap = a;
            for (nint t = 0; t < ks; t++, ap += 7)
            {
                float* a0 = ap[0] == zero ? zero : ap[0] + aOffset;
                float* a1 = ap[1] == zero ? zero : ap[1] + aOffset;
                float* a2 = ap[2] == zero ? zero : ap[2] + aOffset;
                float* a3 = ap[3] == zero ? zero : ap[3] + aOffset;
                float* a4 = ap[4] == zero ? zero : ap[4] + aOffset;
                float* a5 = ap[5] == zero ? zero : ap[5] + aOffset;
                float* a6 = ap[6] == zero ? zero : ap[6] + aOffset;
                for (nint k = 0; k < kc; k++, w += 16)
                {
                    Vector512<float> b = Vector512.Load(w);
                    acc0 = Vector512.MultiplyAddEstimate(Vector512.Create(a0[k]), b, acc0);
                    acc1 = Vector512.MultiplyAddEstimate(Vector512.Create(a1[k]), b, acc1);
                    acc2 = Vector512.MultiplyAddEstimate(Vector512.Create(a2[k]), b, acc2);
                    acc3 = Vector512.MultiplyAddEstimate(Vector512.Create(a3[k]), b, acc3);
                    acc4 = Vector512.MultiplyAddEstimate(Vector512.Create(a4[k]), b, acc4);
                    acc5 = Vector512.MultiplyAddEstimate(Vector512.Create(a5[k]), b, acc5);
                    acc6 = Vector512.MultiplyAddEstimate(Vector512.Create(a6[k]), b, acc6);
                }
            }

            if (nc >= 16)
            {
                // Last row first: rows past mr alias the last valid row, whose own store lands last.
                Store(c6, acc6, vmin, vmax);
                Store(c5, acc5, vmin, vmax);
                Store(c4, acc4, vmin, vmax);
                Store(c3, acc3, vmin, vmax);
                Store(c2, acc2, vmin, vmax);
                Store(c1, acc1, vmin, vmax);
                Store(c0, acc0, vmin, vmax);
                nc -= 16;
                if (nc == 0)
                {
                    return;
                }

                c0 += 16;
                c1 += 16;
                c2 += 16;
                c3 += 16;
                c4 += 16;
                c5 += 16;
                c6 += 16;
                continue;
            }

            // A partial block: park every row in the stack buffer first, so that no accumulator is live across the copy.
            Store(tail, acc0, vmin, vmax);
            Store(tail + 16, acc1, vmin, vmax);
            Store(tail + 32, acc2, vmin, vmax);
            Store(tail + 48, acc3, vmin, vmax);
            Store(tail + 64, acc4, vmin, vmax);
            Store(tail + 80, acc5, vmin, vmax);
            Store(tail + 96, acc6, vmin, vmax);
            for (nint j = 0; j < nc; j++)
            {
                c6[j] = tail[96 + j];
                c5[j] = tail[80 + j];
                c4[j] = tail[64 + j];
                c3[j] = tail[48 + j];
                c2[j] = tail[32 + j];
                c1[j] = tail[16 + j];
                c0[j] = tail[j];
            }

            return;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> v, Vector512<float> vmin, Vector512<float> vmax) =>
        Vector512.MinNative(vmax, Vector512.MaxNative(vmin, v)).Store(c);
}
