using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// f32-gemm-6x16-minmax-avx2: 6 rows x 16 columns in 12 accumulators of 8 floats, plus 2 weight vectors and 1 broadcast:
/// 15 of the 16 ymm registers. Per reduction step: 2 weight loads, 6 broadcasts, 12 FMAs, so the two FMA pipes stay busy
/// (6 cycles per step) with loads to spare. A last block of at most 8 columns runs a 6x8 loop over the panel's low half.
/// </summary>
internal readonly unsafe struct Gemm6x16Vector256 : IGemmMicrokernelF32
{
    public static int MR => 6;

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
        // The last partial block, row by row, then the clamp bounds; uninitialized (SkipLocalsInit) but for the bounds.
        float* tail = stackalloc float[96 + 2];
        float* bounds = tail + 96;
        bounds[0] = min;
        bounds[1] = max;
        while (true)
        {
            if (nc <= 8)
            {
                // The last block holds at most 8 real columns (OutC = 24, 40, 1000, a 6- or 12-channel head): half the FMAs.
                Half(nc, kc, ks, a, aOffset, zero, w, c0, c1, c2, c3, c4, c5, tail, bounds);
                return;
            }

            Vector256<float> acc0a = Vector256.Load(w), acc0b = Vector256.Load(w + 8);
            Vector256<float> acc1a = acc0a, acc1b = acc0b, acc2a = acc0a, acc2b = acc0b;
            Vector256<float> acc3a = acc0a, acc3b = acc0b, acc4a = acc0a, acc4b = acc0b, acc5a = acc0a, acc5b = acc0b;
            w += 16;
            float** ap = a;
            for (nint t = 0; t < ks; t++, ap += 6)
            {
                float* a0 = ap[0] == zero ? zero : ap[0] + aOffset;
                float* a1 = ap[1] == zero ? zero : ap[1] + aOffset;
                float* a2 = ap[2] == zero ? zero : ap[2] + aOffset;
                float* a3 = ap[3] == zero ? zero : ap[3] + aOffset;
                float* a4 = ap[4] == zero ? zero : ap[4] + aOffset;
                float* a5 = ap[5] == zero ? zero : ap[5] + aOffset;
                for (nint k = 0; k < kc; k++, w += 16)
                {
                    Vector256<float> b0 = Vector256.Load(w), b1 = Vector256.Load(w + 8);
                    Vector256<float> v = Vector256.Create(a0[k]);
                    acc0a = Vector256.MultiplyAddEstimate(v, b0, acc0a);
                    acc0b = Vector256.MultiplyAddEstimate(v, b1, acc0b);
                    v = Vector256.Create(a1[k]);
                    acc1a = Vector256.MultiplyAddEstimate(v, b0, acc1a);
                    acc1b = Vector256.MultiplyAddEstimate(v, b1, acc1b);
                    v = Vector256.Create(a2[k]);
                    acc2a = Vector256.MultiplyAddEstimate(v, b0, acc2a);
                    acc2b = Vector256.MultiplyAddEstimate(v, b1, acc2b);
                    v = Vector256.Create(a3[k]);
                    acc3a = Vector256.MultiplyAddEstimate(v, b0, acc3a);
                    acc3b = Vector256.MultiplyAddEstimate(v, b1, acc3b);
                    v = Vector256.Create(a4[k]);
                    acc4a = Vector256.MultiplyAddEstimate(v, b0, acc4a);
                    acc4b = Vector256.MultiplyAddEstimate(v, b1, acc4b);
                    v = Vector256.Create(a5[k]);
                    acc5a = Vector256.MultiplyAddEstimate(v, b0, acc5a);
                    acc5b = Vector256.MultiplyAddEstimate(v, b1, acc5b);
                }
            }

            // Rows are stored last to first: a row past mr aliases the last valid row's pointer, and the valid row's own
            // store (which computed the same pointers) lands last.
            if (nc >= 16)
            {
                Store(c5, acc5a, acc5b, bounds);
                Store(c4, acc4a, acc4b, bounds);
                Store(c3, acc3a, acc3b, bounds);
                Store(c2, acc2a, acc2b, bounds);
                Store(c1, acc1a, acc1b, bounds);
                Store(c0, acc0a, acc0b, bounds);
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
                continue;
            }

            // A partial block: park every row in the stack buffer first, so that no accumulator is live across the copy.
            Store(tail, acc0a, acc0b, bounds);
            Store(tail + 16, acc1a, acc1b, bounds);
            Store(tail + 32, acc2a, acc2b, bounds);
            Store(tail + 48, acc3a, acc3b, bounds);
            Store(tail + 64, acc4a, acc4b, bounds);
            Store(tail + 80, acc5a, acc5b, bounds);
            for (nint j = 0; j < nc; j++)
            {
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

    /// <summary>
    /// A block with at most 8 valid columns: only the low 8 columns of the 16-wide panel (same packing, w still advances by
    /// 16 per reduction step) in 6 accumulators.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Half(nint nc, nint kc, nint ks, float** a, nint aOffset, float* zero, float* w, float* c0, float* c1, float* c2,
        float* c3, float* c4, float* c5, float* tail, float* bounds)
    {
        Vector256<float> acc0 = Vector256.Load(w);
        Vector256<float> acc1 = acc0, acc2 = acc0, acc3 = acc0, acc4 = acc0, acc5 = acc0;
        w += 16;
        float** ap = a;
        for (nint t = 0; t < ks; t++, ap += 6)
        {
            float* a0 = ap[0] == zero ? zero : ap[0] + aOffset;
            float* a1 = ap[1] == zero ? zero : ap[1] + aOffset;
            float* a2 = ap[2] == zero ? zero : ap[2] + aOffset;
            float* a3 = ap[3] == zero ? zero : ap[3] + aOffset;
            float* a4 = ap[4] == zero ? zero : ap[4] + aOffset;
            float* a5 = ap[5] == zero ? zero : ap[5] + aOffset;
            for (nint k = 0; k < kc; k++, w += 16)
            {
                Vector256<float> b = Vector256.Load(w);
                acc0 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[k]), b, acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.Create(a1[k]), b, acc1);
                acc2 = Vector256.MultiplyAddEstimate(Vector256.Create(a2[k]), b, acc2);
                acc3 = Vector256.MultiplyAddEstimate(Vector256.Create(a3[k]), b, acc3);
                acc4 = Vector256.MultiplyAddEstimate(Vector256.Create(a4[k]), b, acc4);
                acc5 = Vector256.MultiplyAddEstimate(Vector256.Create(a5[k]), b, acc5);
            }
        }

        Vector256<float> vmin = Vector256.Create(bounds[0]), vmax = Vector256.Create(bounds[1]);
        acc0 = Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc0));
        acc1 = Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc1));
        acc2 = Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc2));
        acc3 = Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc3));
        acc4 = Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc4));
        acc5 = Vector256.MinNative(vmax, Vector256.MaxNative(vmin, acc5));
        if (nc == 8)
        {
            // Last to first, as the full blocks: rows past mr alias the last valid row.
            acc5.Store(c5);
            acc4.Store(c4);
            acc3.Store(c3);
            acc2.Store(c2);
            acc1.Store(c1);
            acc0.Store(c0);
            return;
        }

        acc0.Store(tail);
        acc1.Store(tail + 8);
        acc2.Store(tail + 16);
        acc3.Store(tail + 24);
        acc4.Store(tail + 32);
        acc5.Store(tail + 40);
        for (nint j = 0; j < nc; j++)
        {
            c5[j] = tail[40 + j];
            c4[j] = tail[32 + j];
            c3[j] = tail[24 + j];
            c2[j] = tail[16 + j];
            c1[j] = tail[8 + j];
            c0[j] = tail[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> lo, Vector256<float> hi, float* bounds)
    {
        // The clamp bounds are broadcast from memory here, at the store, rather than held in registers (as vectors or as
        // scalars) across the reduction loop: with 12 accumulators, 2 weight vectors and 1 broadcast the loop already uses
        // 15 of the 16 registers, and the NativeAOT compiler (no PGO) spilled an accumulator when the bounds stayed live
        // (41% of the FMA peak instead of the JIT's 91% on the same layer). Loads from the stack buffer are not hoisted.
        // MaxNative / MinNative are one vmaxps / vminps (NEON fmax / fmin); the IEEE forms (Vector256.Max) add the NaN and
        // signed-zero fix-ups, which with K = 16 cost a third of the layer (conv1x1 112x112x16->96: 52% -> 74% of peak).
        // The accumulator is the second operand, the one x86 returns when either is NaN: a NaN still propagates. A -0
        // clamped at 0 may stay -0 (equal to the reference's +0 within any tolerance).
        Vector256<float> vmin = Vector256.Create(bounds[0]), vmax = Vector256.Create(bounds[1]);
        Vector256.MinNative(vmax, Vector256.MaxNative(vmin, lo)).Store(c);
        Vector256.MinNative(vmax, Vector256.MaxNative(vmin, hi)).Store(c + 8);
    }
}
