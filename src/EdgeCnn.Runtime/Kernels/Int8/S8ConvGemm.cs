using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// int8 convolution (any rank, stride, dilation, padding, groups) and Dense as packed GEMM on one microkernel:
/// M = output pixels (Dense: rows), N = output channels of a group, K = taps x input channels of a group.
/// Everything is prepared at construction (Plan): weights packed into the kernel's panels with the folded bias, the
/// requantization rows, and for a convolution whose rows are not simply the input's pixels, the indirection buffer.
/// A 1x1 convolution with unit strides and no padding, and Dense, are plain GEMM: row r of A is x + r * lda, computed on
/// the fly. Run walks M blocks outermost (one block's rows stay in cache across every panel), then panels.
/// </summary>
public sealed unsafe class S8ConvGemm<TKernel> : Kernel
    where TKernel : struct, IS8GemmMicrokernel
{
    private readonly sbyte* _x;   // [N, D, H, W, InC] (Dense: [rows, K])
    private readonly nint _lda;   // plain GEMM: bytes between rows of A
    private readonly sbyte* _y;   // [M, OutC]
    private readonly nint _ldc;   // OutC
    private readonly int _m, _group, _groupOutC, _kc, _taps;
    private readonly S8PackedWeights _weights;
    private readonly S8RequantParams _requant;
    private readonly S8Indirection? _indirection; // null for plain GEMM

    /// <param name="w">OHWI [OutC][KD][KH][KW][InC / Group]</param>
    /// <param name="bias">[OutC] or empty</param>
    public S8ConvGemm(sbyte* x, sbyte* y, ConvGeometry g, ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias, Int8Requant requant)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(requant);
        if (g.TileD * g.TileH * g.TileW != 1)
        {
            throw new ArgumentException("untied weight sets (tiled / locally connected) are not a GEMM", nameof(g));
        }

        _x = x;
        _y = y;
        _ldc = g.OutC;
        _m = checked(g.Batch * g.OutD * g.OutH * g.OutW);
        _group = g.Group;
        _groupOutC = g.GroupOutC;
        _kc = g.GroupInC;
        _taps = g.KD * g.KH * g.KW;
        _weights = new S8PackedWeights(w, bias, _group, _groupOutC, _taps, _kc, TKernel.Nr, requant.InputZeroPoint, TKernel.ActivationShift);
        _requant = new S8RequantParams(requant, g.OutC);
        IsPlainGemm = IsPointwise(g);
        if (IsPlainGemm)
        {
            _lda = g.InC;
        }
        else
        {
            _indirection = new S8Indirection(x, g, TKernel.Mr, requant.InputZeroPoint);
        }

        Name = $"s8-conv{Rank(g)}d-{(IsPlainGemm ? "gemm" : "igemm")}-{TKernel.Suffix}";
    }

    /// <summary>Dense: x [rows, k], w [outputs, k], y [rows, outputs].</summary>
    public S8ConvGemm(sbyte* x, sbyte* y, int rows, int k, int outputs, ReadOnlySpan<sbyte> w, ReadOnlySpan<int> bias, Int8Requant requant)
    {
        ArgumentNullException.ThrowIfNull(requant);
        _x = x;
        _y = y;
        _lda = k;
        _ldc = outputs;
        _m = rows;
        _group = 1;
        _groupOutC = outputs;
        _kc = k;
        _taps = 1;
        _weights = new S8PackedWeights(w, bias, 1, outputs, 1, k, TKernel.Nr, requant.InputZeroPoint, TKernel.ActivationShift);
        _requant = new S8RequantParams(requant, outputs);
        IsPlainGemm = true;
        Name = $"s8-dense-gemm-{TKernel.Suffix}";
    }

    /// <summary>Kernel name (KERNELS.md grammar), e.g. "s8-conv2d-igemm-4x8c4-minmax-avx2".</summary>
    public override string Name { get; }

    /// <summary>Rows of A are the input's rows (no indirection buffer).</summary>
    public bool IsPlainGemm { get; }

    /// <summary>A 1x1 kernel with unit strides and no padding reads pixel p for output p: plain GEMM.</summary>
    public static bool IsPointwise(ConvGeometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return g.KD * g.KH * g.KW == 1 && g.StrideD == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadD == 0 && g.PadH == 0 && g.PadW == 0 &&
            g.OutD == g.InD && g.OutH == g.InH && g.OutW == g.InW;
    }

    public override void Run()
    {
        int mrMax = TKernel.Mr, nr = TKernel.Nr;
        sbyte** rows = stackalloc sbyte*[mrMax];
        S8GemmCall c = default;
        c.Zero = _indirection is null ? null : _indirection.Zero;
        c.Taps = _taps;
        c.Kc = _kc;
        c.CStride = _ldc;
        int blocks = (_m + mrMax - 1) / mrMax, panels = _weights.Panels;
        for (int g = 0; g < _group; g++)
        {
            c.AOffset = (nint)g * _kc;
            for (int b = 0; b < blocks; b++)
            {
                int p0 = b * mrMax;
                c.Mr = Math.Min(mrMax, _m - p0);
                if (_indirection is null)
                {
                    for (int r = 0; r < mrMax; r++)
                    {
                        rows[r] = _x + (Math.Min(p0 + r, _m - 1) * _lda);
                    }

                    c.A = rows;
                }
                else
                {
                    c.A = _indirection.Block(b);
                }

                sbyte* yRow = _y + (p0 * _ldc) + (g * _groupOutC);
                for (int j = 0; j < panels; j++)
                {
                    int n0 = j * nr;
                    c.W = _weights.Panel(g, j);
                    c.Bias = _weights.Bias(g, j);
                    c.C = yRow + n0;
                    c.Nc = Math.Min(nr, _groupOutC - n0);
                    c.Q = _requant.At((g * _groupOutC) + n0);
                    TKernel.Run(ref c);
                }
            }
        }
    }

    private static int Rank(ConvGeometry g) => g.InD > 1 || g.KD > 1 || g.OutD > 1 ? 3 : g.InH > 1 || g.KH > 1 || g.OutH > 1 ? 2 : 1;
}
