using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Gemm;

/// <summary>
/// The indirection buffer of an im2col-free convolution (XNNPACK): for every tile of MR output pixels and every kernel tap,
/// MR pointers to the input pixel that tap reads (its channel 0), or to a zero row where the tap falls in the padding.
/// Built once at Plan (the arena does not move), read by the microkernel instead of an im2col copy. Layout
/// [pixel tile][tap][MR]; rows past the last pixel repeat the last pixel so that the microkernel reads valid memory.
/// </summary>
internal static unsafe class Indirection
{
    public static int TileCount(int pixels, int mr) => (pixels + mr - 1) / mr;

    /// <param name="g">Geometry; pixels = Batch * OutD * OutH * OutW, taps = KD * KH * KW.</param>
    /// <param name="x">Input [N, D, H, W, C].</param>
    /// <param name="zero">A row of at least InC / Group zeros.</param>
    public static PinnedBuffer<nint> Build(ConvGeometry g, float* x, float* zero, int mr)
    {
        int pixels = g.Batch * g.OutD * g.OutH * g.OutW;
        int taps = g.KD * g.KH * g.KW;
        int tiles = TileCount(pixels, mr);
        var buffer = new PinnedBuffer<nint>((long)tiles * taps * mr);
        nint* p = buffer.Pointer;
        for (int tile = 0; tile < tiles; tile++)
        {
            for (int r = 0; r < mr; r++)
            {
                int m = Math.Min((tile * mr) + r, pixels - 1);
                int ow = m % g.OutW, rest = m / g.OutW;
                int oh = rest % g.OutH;
                rest /= g.OutH;
                int od = rest % g.OutD, n = rest / g.OutD;
                int t = 0;
                for (int kd = 0; kd < g.KD; kd++)
                {
                    int id = (od * g.StrideD) - g.PadD + (kd * g.DilationD);
                    for (int kh = 0; kh < g.KH; kh++)
                    {
                        int ih = (oh * g.StrideH) - g.PadH + (kh * g.DilationH);
                        for (int kw = 0; kw < g.KW; kw++, t++)
                        {
                            int iw = (ow * g.StrideW) - g.PadW + (kw * g.DilationW);
                            bool inside = (uint)id < (uint)g.InD && (uint)ih < (uint)g.InH && (uint)iw < (uint)g.InW;
                            long offset = (((((((long)n * g.InD) + id) * g.InH) + ih) * g.InW) + iw) * g.InC;
                            p[(((long)tile * taps) + t) * mr + r] = inside ? (nint)(x + offset) : (nint)zero;
                        }
                    }
                }
            }
        }

        return buffer;
    }
}
