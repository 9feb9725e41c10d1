using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// f32-gemm-6x8-minmax-v128: 6 rows x 8 columns in 12 accumulators of 4 floats, on the portable Vector128 API: NEON on the Pi
/// (fmla; 32 registers, so no spills), SSE where AVX2 is disabled (mul + add there: MultiplyAddEstimate fuses only where the
/// CPU has FMA). 15 live vector registers, within SSE's 16.
/// </summary>
internal readonly unsafe struct Gemm6x8Vector128 : IGemmMicrokernelF32
{
    public static int MR => 6;

    public static int NR => 8;

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
        // The last partial block, row by row, then the clamp bounds; uninitialized (SkipLocalsInit) but for the bounds.
        float* tail = stackalloc float[48 + 2];
        float* bounds = tail + 48;
        bounds[0] = min;
        bounds[1] = max;
        while (true)
        {
            Vector128<float> acc0a = Vector128.Load(w), acc0b = Vector128.Load(w + 4);
            Vector128<float> acc1a = acc0a, acc1b = acc0b, acc2a = acc0a, acc2b = acc0b;
            Vector128<float> acc3a = acc0a, acc3b = acc0b, acc4a = acc0a, acc4b = acc0b, acc5a = acc0a, acc5b = acc0b;
            w += 8;
            float** ap = a;
            for (nint t = 0; t < ks; t++, ap += 6)
            {
                float* a0 = ap[0] == zero ? zero : ap[0] + aOffset;
                float* a1 = ap[1] == zero ? zero : ap[1] + aOffset;
                float* a2 = ap[2] == zero ? zero : ap[2] + aOffset;
                float* a3 = ap[3] == zero ? zero : ap[3] + aOffset;
                float* a4 = ap[4] == zero ? zero : ap[4] + aOffset;
                float* a5 = ap[5] == zero ? zero : ap[5] + aOffset;
                for (nint k = 0; k < kc; k++, w += 8)
                {
                    Vector128<float> b0 = Vector128.Load(w), b1 = Vector128.Load(w + 4);
                    Vector128<float> v = Vector128.Create(a0[k]);
                    acc0a = Vector128.MultiplyAddEstimate(v, b0, acc0a);
                    acc0b = Vector128.MultiplyAddEstimate(v, b1, acc0b);
                    v = Vector128.Create(a1[k]);
                    acc1a = Vector128.MultiplyAddEstimate(v, b0, acc1a);
                    acc1b = Vector128.MultiplyAddEstimate(v, b1, acc1b);
                    v = Vector128.Create(a2[k]);
                    acc2a = Vector128.MultiplyAddEstimate(v, b0, acc2a);
                    acc2b = Vector128.MultiplyAddEstimate(v, b1, acc2b);
                    v = Vector128.Create(a3[k]);
                    acc3a = Vector128.MultiplyAddEstimate(v, b0, acc3a);
                    acc3b = Vector128.MultiplyAddEstimate(v, b1, acc3b);
                    v = Vector128.Create(a4[k]);
                    acc4a = Vector128.MultiplyAddEstimate(v, b0, acc4a);
                    acc4b = Vector128.MultiplyAddEstimate(v, b1, acc4b);
                    v = Vector128.Create(a5[k]);
                    acc5a = Vector128.MultiplyAddEstimate(v, b0, acc5a);
                    acc5b = Vector128.MultiplyAddEstimate(v, b1, acc5b);
                }
            }

            if (nc >= 8)
            {
                // Last row first: rows past mr alias the last valid row, whose own store lands last.
                Store(c5, acc5a, acc5b, bounds);
                Store(c4, acc4a, acc4b, bounds);
                Store(c3, acc3a, acc3b, bounds);
                Store(c2, acc2a, acc2b, bounds);
                Store(c1, acc1a, acc1b, bounds);
                Store(c0, acc0a, acc0b, bounds);
                nc -= 8;
                if (nc == 0)
                {
                    return;
                }

                c0 += 8;
                c1 += 8;
                c2 += 8;
                c3 += 8;
                c4 += 8;
                c5 += 8;
                continue;
            }

            // A partial block: park every row in the stack buffer first, so that no accumulator is live across the copy
            // (a call there would make the JIT spill accumulators inside the reduction loop: ARM64 preserves no full q register).
            Store(tail, acc0a, acc0b, bounds);
            Store(tail + 8, acc1a, acc1b, bounds);
            Store(tail + 16, acc2a, acc2b, bounds);
            Store(tail + 24, acc3a, acc3b, bounds);
            Store(tail + 32, acc4a, acc4b, bounds);
            Store(tail + 40, acc5a, acc5b, bounds);
            for (nint j = 0; j < nc; j++)
            {
                c5[j] = tail[40 + j];
                c4[j] = tail[32 + j];
                c3[j] = tail[24 + j];
                c2[j] = tail[16 + j];
                c1[j] = tail[8 + j];
                c0[j] = tail[j];
            }

            return;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector128<float> lo, Vector128<float> hi, float* bounds)
    {
        // The clamp bounds are broadcast from memory here, at the store, rather than held in registers (as vectors or as
        // scalars) across the reduction loop: with 12 accumulators, 2 weight vectors and 1 broadcast the loop already uses
        // 15 of the 16 registers, and the NativeAOT compiler (no PGO) spilled an accumulator when the bounds stayed live
        // (41% of the FMA peak instead of the JIT's 91% on the same layer). Loads from the stack buffer are not hoisted.
        Vector128<float> vmin = Vector128.Create(bounds[0]), vmax = Vector128.Create(bounds[1]);
        Vector128.MinNative(vmax, Vector128.MaxNative(vmin, lo)).Store(c);
        Vector128.MinNative(vmax, Vector128.MaxNative(vmin, hi)).Store(c + 4);
    }
}
