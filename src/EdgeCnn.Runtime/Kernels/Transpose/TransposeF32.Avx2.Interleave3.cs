using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels.Transpose;

internal sealed unsafe partial class TransposeF32Avx2Kernel
{
    /// <summary>
    /// [3, cols] -&gt; [cols, 3]: per 8 columns, 3 loads (one per plane), 9 lane permutes (vpermps) and 6 blends into the
    /// 24 interleaved floats, 3 stores. Output vector k holds elements 8k..8k+7 of the interleaved row; element e comes from
    /// plane e % 3, column e / 3. The last cols % 8 columns are scalar.
    /// </summary>
    private static void Interleave3(float* x, float* y, int cols)
    {
        float* r = x, g = x + cols, b = x + (2L * cols);
        // Lane l of output vector k is element e = 8k + l of the step: plane e % 3, column e / 3 (indices below).
        Vector256<int> r0 = Vector256.Create(0, 0, 0, 1, 0, 0, 2, 0), g0 = Vector256.Create(0, 0, 0, 0, 1, 0, 0, 2), b0 = Vector256.Create(0, 0, 0, 0, 0, 1, 0, 0);
        Vector256<int> r1 = Vector256.Create(0, 3, 0, 0, 4, 0, 0, 5), g1 = Vector256.Create(0, 0, 3, 0, 0, 4, 0, 0), b1 = Vector256.Create(2, 0, 0, 3, 0, 0, 4, 0);
        Vector256<int> r2 = Vector256.Create(0, 0, 6, 0, 0, 7, 0, 0), g2 = Vector256.Create(5, 0, 0, 6, 0, 0, 7, 0), b2 = Vector256.Create(0, 5, 0, 0, 6, 0, 0, 7);
        int j = 0;
        for (; j <= cols - 8; j += 8, y += 24)
        {
            Vector256<float> vr = Avx.LoadVector256(r + j), vg = Avx.LoadVector256(g + j), vb = Avx.LoadVector256(b + j);
            // Blend masks: bit l set takes lane l from the second operand. Vector 0 lanes: r g b r g b r g.
            Vector256<float> o0 = Avx.Blend(Avx.Blend(Avx2.PermuteVar8x32(vr, r0), Avx2.PermuteVar8x32(vg, g0), 0b1001_0010),
                Avx2.PermuteVar8x32(vb, b0), 0b0010_0100);
            // Vector 1 lanes: b r g b r g b r.
            Vector256<float> o1 = Avx.Blend(Avx.Blend(Avx2.PermuteVar8x32(vr, r1), Avx2.PermuteVar8x32(vg, g1), 0b0010_0100),
                Avx2.PermuteVar8x32(vb, b1), 0b0100_1001);
            // Vector 2 lanes: g b r g b r g b.
            Vector256<float> o2 = Avx.Blend(Avx.Blend(Avx2.PermuteVar8x32(vr, r2), Avx2.PermuteVar8x32(vg, g2), 0b0100_1001),
                Avx2.PermuteVar8x32(vb, b2), 0b1001_0010);
            Avx.Store(y, o0);
            Avx.Store(y + 8, o1);
            Avx.Store(y + 16, o2);
        }

        for (; j < cols; j++, y += 3)
        {
            y[0] = r[j];
            y[1] = g[j];
            y[2] = b[j];
        }
    }
}
