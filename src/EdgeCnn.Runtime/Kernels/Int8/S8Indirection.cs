using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// The indirection buffer of an im2col-free convolution, built once at Plan (the arena and input are fixed by then): for
/// each block of MR output pixels and each kernel tap, MR pointers to the input pixel's channel 0, or to the padding row
/// when the tap falls outside the input. Layout [blocks][taps][MR]; the last block repeats its last pixel. The padding
/// row holds z_x (Kc bytes), which the folded bias cancels exactly, so a padded tap needs no branch in the microkernel.
/// </summary>
public sealed unsafe class S8Indirection
{
    private readonly nint[] _pointers; // [Blocks][Taps][Mr], pinned
    private readonly sbyte[] _zero;    // [Kc] of z_x, pinned

    public S8Indirection(sbyte* x, ConvGeometry g, int mr, int inputZeroPoint)
    {
        ArgumentNullException.ThrowIfNull(g);
        Taps = g.KD * g.KH * g.KW;
        Pixels = checked(g.Batch * g.OutD * g.OutH * g.OutW);
        Mr = mr;
        Blocks = (Pixels + mr - 1) / mr;
        _zero = GC.AllocateArray<sbyte>(Math.Max(g.GroupInC, 4), pinned: true);
        _zero.AsSpan().Fill((sbyte)inputZeroPoint);
        _pointers = GC.AllocateArray<nint>(checked(Blocks * Taps * mr), pinned: true);
        nint zero = (nint)Zero;
        int outSpatial = g.OutD * g.OutH * g.OutW;
        for (int b = 0; b < Blocks; b++)
        {
            for (int r = 0; r < mr; r++)
            {
                int p = Math.Min((b * mr) + r, Pixels - 1);
                int n = p / outSpatial, rem = p % outSpatial;
                int od = rem / (g.OutH * g.OutW), oh = rem / g.OutW % g.OutH, ow = rem % g.OutW;
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
                            long pixel = ((((((long)n * g.InD) + id) * g.InH) + ih) * g.InW) + iw;
                            _pointers[(((long)b * Taps) + t) * mr + r] = inside ? (nint)(x + (pixel * g.InC)) : zero;
                        }
                    }
                }
            }
        }
    }

    public int Taps { get; }

    public int Pixels { get; }

    public int Mr { get; }

    public int Blocks { get; }

    public sbyte* Zero => (sbyte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_zero));

    /// <summary>The [Taps][MR] pointers of block b.</summary>
    public sbyte** Block(int b) => (sbyte**)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_pointers)) + ((long)b * Taps * Mr);
}
