using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// f32-gemv-1x8-minmax-v128: the GEMM contract with one row (M = 1: a batch-1 classifier head), over the same [bias][K][8]
/// panels as <see cref="Gemm6x8Vector128"/>. The 6x16 kernel run on one row keeps only 2 FMA chains in flight, so it waits
/// on FMA latency; this one splits K four ways into 8 independent accumulators (4 x 8 columns) and adds them at the end.
/// The weights are then read as fast as the FMAs allow, and a head whose panels exceed the caches is bound by memory.
/// </summary>
internal readonly unsafe struct Gemv1x8Vector128 : IGemmMicrokernelF32
{
    public static int MR => 1;

    public static int NR => 8;

    [SkipLocalsInit]
    public static void Run(nint mr, nint nc, nint kc, nint ks, float** a, nint aOffset, float* zero, float* w, float* c, nint cStride,
        float min, float max)
    {
        Vector128<float> vmin = Vector128.Create(min), vmax = Vector128.Create(max);
        float* tail = stackalloc float[8];
        while (true)
        {
            Vector128<float> s0a = Vector128.Load(w), s0b = Vector128.Load(w + 4);
            Vector128<float> s1a = Vector128<float>.Zero, s1b = Vector128<float>.Zero;
            Vector128<float> s2a = Vector128<float>.Zero, s2b = Vector128<float>.Zero;
            Vector128<float> s3a = Vector128<float>.Zero, s3b = Vector128<float>.Zero;
            w += 8;
            for (nint t = 0; t < ks; t++)
            {
                float* a0 = a[t] == zero ? zero : a[t] + aOffset;
                nint k = 0;
                for (; k <= kc - 4; k += 4, w += 32)
                {
                    Vector128<float> v0 = Vector128.Create(a0[k]), v1 = Vector128.Create(a0[k + 1]);
                    Vector128<float> v2 = Vector128.Create(a0[k + 2]), v3 = Vector128.Create(a0[k + 3]);
                    s0a = Vector128.MultiplyAddEstimate(v0, Vector128.Load(w), s0a);
                    s0b = Vector128.MultiplyAddEstimate(v0, Vector128.Load(w + 4), s0b);
                    s1a = Vector128.MultiplyAddEstimate(v1, Vector128.Load(w + 8), s1a);
                    s1b = Vector128.MultiplyAddEstimate(v1, Vector128.Load(w + 12), s1b);
                    s2a = Vector128.MultiplyAddEstimate(v2, Vector128.Load(w + 16), s2a);
                    s2b = Vector128.MultiplyAddEstimate(v2, Vector128.Load(w + 20), s2b);
                    s3a = Vector128.MultiplyAddEstimate(v3, Vector128.Load(w + 24), s3a);
                    s3b = Vector128.MultiplyAddEstimate(v3, Vector128.Load(w + 28), s3b);
                }

                for (; k < kc; k++, w += 8)
                {
                    Vector128<float> v = Vector128.Create(a0[k]);
                    s0a = Vector128.MultiplyAddEstimate(v, Vector128.Load(w), s0a);
                    s0b = Vector128.MultiplyAddEstimate(v, Vector128.Load(w + 4), s0b);
                }
            }

            Vector128<float> lo = Vector128.MinNative(vmax, Vector128.MaxNative(vmin, (s0a + s1a) + (s2a + s3a)));
            Vector128<float> hi = Vector128.MinNative(vmax, Vector128.MaxNative(vmin, (s0b + s1b) + (s2b + s3b)));
            if (nc >= 8)
            {
                lo.Store(c);
                hi.Store(c + 4);
                nc -= 8;
                if (nc == 0)
                {
                    return;
                }

                c += 8;
                continue;
            }

            lo.Store(tail);
            hi.Store(tail + 4);
            for (nint j = 0; j < nc; j++)
            {
                c[j] = tail[j];
            }

            return;
        }
    }
}
