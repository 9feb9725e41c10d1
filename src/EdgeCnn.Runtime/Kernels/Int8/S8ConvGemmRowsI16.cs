using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// int8 2-D convolution with few input channels (the 3-channel stems) on the int16-operand GEMM microkernel, with taps that
/// are whole kernel rows (the int8 counterpart of ConvGemmRowsF32Kernel): each Run widens the input into an int16 buffer
/// that carries the padding (filled with z_x once at Plan, never written again), where the KW taps of one kernel row are
/// KW * C contiguous values. The microkernel then reduces KH taps of Kc = KW * C instead of KH * KW taps of C: a 3-channel
/// 3x3 stem reads 3 taps of 9 values (10 with the pair's zero weight) instead of 9 taps of 3 (each padded to 4): 15
/// vpmaddwd pairs per tile column instead of 18 and a third as many row pointers (a 7x7 one: 77 pairs instead of 98, a
/// seventh as many pointers). The packed weights are S8PackedWeightsI16's with KH taps of
/// KW * C ([kh][kw][c] flattens identically), so the int32 sums, the folded bias and the requantization are the same
/// as the indirect GEMM's and the reference's, bit for bit.
/// </summary>
internal sealed unsafe class S8ConvGemmRowsI16<TKernel> : Kernel, IParallelWork
    where TKernel : struct, IS8GemmI16Microkernel
{
    private readonly string _name;
    private readonly sbyte* _x;        // [N, H, W, C]
    private readonly sbyte* _y;        // [N, OH, OW, OutC]
    private readonly short[] _padded;  // [N, Hp, Wp, C] int16: the input inside its z_x padding, + 2 readable values, pinned
    private readonly nint[] _rows;     // [blocks][KH][MR] row-tap pointers into _padded, pinned
    private readonly int _batch, _inH, _inW, _c, _padH, _padW, _hp, _wp;
    private readonly int _m, _outC, _ks, _blocks;
    private readonly S8PackedWeightsI16 _weights;
    private readonly S8RequantParams _requant;
    private readonly S8RequantShape _shape;
    private readonly WorkerPool? _pool;

    public S8ConvGemmRowsI16(string name, ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!Accepts(plan))
        {
            throw new ArgumentException($"{name} takes plain 2-D convolutions of one group without horizontal dilation; got {plan.Geometry}", nameof(plan));
        }

        ConvGeometry g = plan.Geometry;
        _name = name;
        _x = (sbyte*)plan.Tensors.X;
        _y = (sbyte*)plan.Tensors.Y;
        (_batch, _inH, _inW, _c, _padH, _padW) = (g.Batch, g.InH, g.InW, g.InC, g.PadH, g.PadW);
        _hp = Math.Max(g.PadH + g.InH, ((g.OutH - 1) * g.StrideH) + ((g.KH - 1) * g.DilationH) + 1);
        _wp = Math.Max(g.PadW + g.InW, ((g.OutW - 1) * g.StrideW) + g.KW);
        _m = checked(g.Batch * g.OutH * g.OutW);
        _outC = g.OutC;
        _ks = g.KH;
        int mr = TKernel.Mr;
        _blocks = (_m + mr - 1) / mr;
        Int8Requant requant = plan.Requant;
        _weights = new S8PackedWeightsI16(new ReadOnlySpan<sbyte>(plan.Tensors.W, plan.Tensors.WCount),
            new ReadOnlySpan<int>(plan.Tensors.Bias, plan.Tensors.BiasCount), 1, _outC, _ks, checked(g.KW * g.InC), TKernel.Nr,
            requant.InputZeroPoint);
        _requant = new S8RequantParams(requant, g.OutC);
        _shape = S8RequantShapes.Of(requant, g.OutC);

        // An odd KW * C reads one value past the last row tap as the pair's second half (it meets a zero weight).
        _padded = GC.AllocateArray<short>(checked((int)((long)g.Batch * _hp * _wp * _c) + 2), pinned: true);
        _padded.AsSpan().Fill((short)requant.InputZeroPoint);
        _rows = GC.AllocateArray<nint>(checked(_blocks * _ks * mr), pinned: true);
        short* padded = Padded;
        for (int b = 0; b < _blocks; b++)
        {
            for (int r = 0; r < mr; r++)
            {
                int p = Math.Min((b * mr) + r, _m - 1); // rows past the end repeat the last: computed, not stored
                int ow = p % g.OutW, rest = p / g.OutW;
                int oh = rest % g.OutH, n = rest / g.OutH;
                for (int kh = 0; kh < _ks; kh++)
                {
                    long row = ((long)n * _hp) + (oh * g.StrideH) + (kh * g.DilationH);
                    _rows[(((long)b * _ks) + kh) * mr + r] = (nint)(padded + (((row * _wp) + ((long)ow * g.StrideW)) * _c));
                }
            }
        }

        _pool = plan.Pool;
    }

    /// <summary>Most input channels the row accepts (see <see cref="Accepts"/>).</summary>
    public const int MaxInC = 3;

    public override string Name => _name;

    /// <summary>The requantization parts the epilogue runs for this layer.</summary>
    public S8RequantShape RequantShape => _shape;

    /// <summary>
    /// Plain 2-D convolutions of one group (a row's taps must be contiguous: no horizontal dilation) with at most
    /// <see cref="MaxInC"/> input channels, a window at least 2 wide, and more than 8 output channels (the 6x16c2 tile's
    /// bound, <see cref="S8ConvGemmI16{TKernel}.MinGroupOutC"/>). With 4 or more channels the indirect GEMM's taps waste
    /// no reduction lane, and its input is not copied.
    /// </summary>
    public static bool Accepts(ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        return plan.IsPlain && g.Group == 1 && g.InC <= MaxInC && g.KW >= 2 && g.DilationW == 1
            && g.OutC >= S8ConvGemmI16<TKernel>.MinGroupOutC
            && g.TileD * g.TileH * g.TileW == 1 && !g.BiasPerTile
            && g.KD == 1 && g.InD == 1 && g.OutD == 1 && g.PadD == 0;
    }

    private short* Padded => (short*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_padded));

    public override void Run()
    {
        // The input widened into the padded buffer, row by row; the padding was filled with z_x at Plan.
        nint rowValues = (nint)_inW * _c;
        short* padded = Padded;
        for (int n = 0; n < _batch; n++)
        {
            for (int ih = 0; ih < _inH; ih++)
            {
                sbyte* src = _x + ((((long)n * _inH) + ih) * rowValues);
                short* dst = padded + ((((((long)n * _hp) + ih + _padH) * _wp) + _padW) * _c);
                TKernel.Widen(src, dst, rowValues);
            }
        }

        if (_pool is null)
        {
            for (int i = 0; i < _blocks; i++)
            {
                Execute(i);
            }
        }
        else
        {
            _pool.For(this, _blocks);
        }
    }

    public void Execute(int item)
    {
        int mr = TKernel.Mr;
        int p0 = item * mr;
        S8GemmI16Call c = default;
        c.A = (short**)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_rows)) + ((long)item * _ks * mr);
        c.Zero = null; // no tap points at a padding row: the padding is in the buffer, and AOffset is 0
        c.AOffset = 0;
        c.Taps = _ks;
        c.Kc2 = _weights.Kc2;
        c.W = _weights.Panel(0, 0);
        c.Bias = _weights.Bias(0, 0);
        c.C = _y + ((long)p0 * _outC);
        c.CStride = _outC;
        c.Mr = Math.Min(mr, _m - p0);
        c.Nc = _outC;
        c.Q = _requant.At(0);
        c.Shape = _shape;
        TKernel.Run(ref c);
    }
}
