using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// f32-gemv-1x16-minmax-avx2: the GEMM contract with one row (M = 1: a batch-1 classifier head), over the same [bias][K][16]
/// panels as <see cref="Gemm6x16Vector256"/>. The 6x16 kernel run on one row keeps only 2 FMA chains in flight, so it waits
/// on FMA latency; this one splits K four ways into 8 independent accumulators (4 x 16 columns) and adds them at the end.
/// The weights are then read as fast as the FMAs allow, and a head whose panels exceed the caches is bound by memory.
/// </summary>
internal readonly unsafe struct Gemv1x16Vector256 : IGemmMicrokernelF32
{
    public static int MR => 1;

    public static int NR => 16;

    [SkipLocalsInit]
    public static void Run(nint mr, nint nc, nint kc, nint ks, float** a, nint aOffset, float* zero, float* w, float* c, nint cStride,
        float min, float max)
    {
        Vector256<float> vmin = Vector256.Create(min), vmax = Vector256.Create(max);
        float* tail = stackalloc float[16];
        while (true)
        {
            Vector256<float> s0a = Vector256.Load(w), s0b = Vector256.Load(w + 8);
            Vector256<float> s1a = Vector256<float>.Zero, s1b = Vector256<float>.Zero;
            Vector256<float> s2a = Vector256<float>.Zero, s2b = Vector256<float>.Zero;
            Vector256<float> s3a = Vector256<float>.Zero, s3b = Vector256<float>.Zero;
            w += 16;
            for (nint t = 0; t < ks; t++)
            {
                float* a0 = a[t] == zero ? zero : a[t] + aOffset;
                nint k = 0;
                for (; k <= kc - 4; k += 4, w += 64)
                {
                    Vector256<float> v0 = Vector256.Create(a0[k]), v1 = Vector256.Create(a0[k + 1]);
                    Vector256<float> v2 = Vector256.Create(a0[k + 2]), v3 = Vector256.Create(a0[k + 3]);
                    s0a = Vector256.MultiplyAddEstimate(v0, Vector256.Load(w), s0a);
                    s0b = Vector256.MultiplyAddEstimate(v0, Vector256.Load(w + 8), s0b);
                    s1a = Vector256.MultiplyAddEstimate(v1, Vector256.Load(w + 16), s1a);
                    s1b = Vector256.MultiplyAddEstimate(v1, Vector256.Load(w + 24), s1b);
                    s2a = Vector256.MultiplyAddEstimate(v2, Vector256.Load(w + 32), s2a);
                    s2b = Vector256.MultiplyAddEstimate(v2, Vector256.Load(w + 40), s2b);
                    s3a = Vector256.MultiplyAddEstimate(v3, Vector256.Load(w + 48), s3a);
                    s3b = Vector256.MultiplyAddEstimate(v3, Vector256.Load(w + 56), s3b);
                }

                for (; k < kc; k++, w += 16)
                {
                    Vector256<float> v = Vector256.Create(a0[k]);
                    s0a = Vector256.MultiplyAddEstimate(v, Vector256.Load(w), s0a);
                    s0b = Vector256.MultiplyAddEstimate(v, Vector256.Load(w + 8), s0b);
                }
            }

            Vector256<float> lo = Vector256.MinNative(vmax, Vector256.MaxNative(vmin, (s0a + s1a) + (s2a + s3a)));
            Vector256<float> hi = Vector256.MinNative(vmax, Vector256.MaxNative(vmin, (s0b + s1b) + (s2b + s3b)));
            if (nc >= 16)
            {
                lo.Store(c);
                hi.Store(c + 8);
                nc -= 16;
                if (nc == 0)
                {
                    return;
                }

                c += 16;
                continue;
            }

            lo.Store(tail);
            hi.Store(tail + 8);
            for (nint j = 0; j < nc; j++)
            {
                c[j] = tail[j];
            }

            return;
        }
    }
}
