using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Threading;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// The per-pixel channel loop of a direct int8 depthwise convolution on one ISA:
///   y[c] = requantize(bias'[c] + sum_t x_t[c] * w[t][c])  for c &lt; channels
/// with x_t the input pixel of tap t (or the padding row of z_x), w as int32 [taps][channels rounded up to 16], bias'
/// folded with -z_x * sum_t w[t][c] (S8DepthwiseConv). The same w array continues with the taps in pairs for vpmaddwd-style
/// kernels: at w + taps * wStride, [(taps + 1) / 2][wStride] int32 words, word [p][c] holding w[2p][c] in its low int16 and
/// w[2p + 1][c] (0 past the last tap) in its high int16.
/// </summary>
public unsafe interface IS8DepthwisePixel
{
    static abstract bool IsSupported { get; }

    static abstract void Run(sbyte** x, int taps, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q);

    /// <summary>
    /// <paramref name="pixels"/> consecutive output pixels of one row whose taps all lie inside the input: pixel p reads tap
    /// t at x[t] + p * <paramref name="step"/> and writes y + p * channels. x is the caller's scratch and may be changed.
    /// </summary>
    static abstract void RunRow(sbyte** x, int taps, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, int channels, in S8RequantView q);
}

/// <summary>The row loop of channel loops that have no row kernel of their own: one pixel at a time, taps advanced in place.</summary>
public static unsafe class S8DepthwiseRows
{
    /// <param name="yStride">Bytes between output pixels (the tensor's channels; more than <paramref name="channels"/> for a tail).</param>
    public static void PerPixel<TPixel>(sbyte** x, int taps, nint step, int pixels, int* w, int wStride, int* bias, sbyte* y, nint yStride, int channels,
        in S8RequantView q)
        where TPixel : struct, IS8DepthwisePixel
    {
        for (int p = 0; p < pixels; p++, y += yStride)
        {
            TPixel.Run(x, taps, w, wStride, bias, y, channels, q);
            for (int t = 0; t < taps; t++)
            {
                x[t] += step;
            }
        }
    }
}

/// <summary>
/// Direct int8 depthwise convolution (Group == InC == OutC, any rank, window, stride, dilation, padding), NHWC: channels
/// are contiguous, so each tap is one vector load of neighbouring channels and there is no reduction across lanes. Plan
/// widens the weights to int32 [taps][C16] and packed int16 tap pairs (the multiply needs no widening at Run), folds -z_x * sum_t w into the bias, and
/// points padding taps at a row of z_x, which the folded term cancels exactly: the loop has no branch for padding.
/// Plan also finds the output columns whose window lies inside the input's width ([InteriorBegin, InteriorEnd)). Work
/// items are output rows (n, d, h): a row computes its window rows' start pointers once; border pixels gather their taps
/// one by one, and when every window row is inside the input the interior columns are one call of the ISA's row loop,
/// whose tap pointers advance by stride x C per pixel. This replaces a per-pixel table: at most KD * KH row pointers and
/// one gather per row are computed at Run, against 9 pointers x 8 bytes per pixel a table would stream from memory.
/// </summary>
internal sealed unsafe class S8DepthwiseConv<TPixel> : Kernel, IParallelWork
    where TPixel : struct, IS8DepthwisePixel
{
    private const int ChannelPad = 16;
    private readonly string _name;
    private readonly sbyte* _x; // [N, D, H, W, C]
    private readonly sbyte* _y; // [N, OD, OH, OW, C]
    private readonly ConvGeometry _g;
    private readonly int _taps, _wStride;
    private readonly int _interiorBegin, _interiorEnd; // output columns whose whole window is inside the input's width
    private readonly int[] _weights; // [taps][C16] int32, pinned
    private readonly int[] _bias;    // [C16] folded, pinned
    private readonly sbyte[] _zero;  // [C16] of z_x, pinned
    private readonly S8RequantParams _requant;
    private readonly WorkerPool? _pool;

    public S8DepthwiseConv(string name, ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!IsDepthwise(plan))
        {
            throw new ArgumentException("a direct depthwise kernel needs Group == InC == OutC and one weight set", nameof(plan));
        }

        ConvGeometry g = plan.Geometry;
        _name = name;
        _g = g;
        _x = (sbyte*)plan.Tensors.X;
        _y = (sbyte*)plan.Tensors.Y;
        int c = g.InC;
        _taps = g.KD * g.KH * g.KW;
        _wStride = (c + ChannelPad - 1) / ChannelPad * ChannelPad;
        _weights = GC.AllocateArray<int>((_taps + ((_taps + 1) / 2)) * _wStride, pinned: true);
        _bias = GC.AllocateArray<int>(_wStride, pinned: true);
        _zero = GC.AllocateArray<sbyte>(_wStride, pinned: true);
        _zero.AsSpan().Fill((sbyte)plan.Requant.InputZeroPoint);
        var w = new ReadOnlySpan<sbyte>(plan.Tensors.W, plan.Tensors.WCount); // [C][taps][1]
        var bias = new ReadOnlySpan<int>(plan.Tensors.Bias, plan.Tensors.BiasCount);
        for (int ch = 0; ch < c; ch++)
        {
            int sum = 0;
            for (int t = 0; t < _taps; t++)
            {
                int v = w[(ch * _taps) + t];
                _weights[(t * _wStride) + ch] = v;
                sum += v;
            }

            for (int t = 0; t < _taps; t += 2)
            {
                int lo = w[(ch * _taps) + t], hi = t + 1 < _taps ? w[(ch * _taps) + t + 1] : 0;
                _weights[((_taps + (t / 2)) * _wStride) + ch] = (ushort)(short)lo | (hi << 16);
            }

            _bias[ch] = unchecked((bias.IsEmpty ? 0 : bias[ch]) - (plan.Requant.InputZeroPoint * sum)); // wraps as the reference
        }

        _requant = new S8RequantParams(plan.Requant, c);
        _pool = plan.Pool;
        (_interiorBegin, _interiorEnd) = Interior(g.InW, g.OutW, g.KW, g.StrideW, g.DilationW, g.PadW);
    }

    /// <summary>Output columns [begin, end) whose taps iw = ow * stride - pad + kw * dilation all lie in [0, inW); begin == end if none.</summary>
    internal static (int Begin, int End) Interior(int inW, int outW, int kw, int stride, int dilation, int pad)
    {
        int begin = (pad + stride - 1) / stride;                   // first ow with ow * stride - pad >= 0
        long reach = ((long)(kw - 1) * dilation) - pad;            // last tap's offset from ow * stride
        long last = inW - 1 - reach;                               // ow * stride <= last
        int end = last < 0 ? 0 : (int)Math.Min(outW, (last / stride) + 1);
        begin = Math.Min(begin, outW);
        return end > begin ? (begin, end) : (begin, begin);
    }

    public override string Name => _name;

    /// <summary>Output rows: N * OD * OH.</summary>
    public int WorkItems => _g.Batch * _g.OutD * _g.OutH;

    public static bool IsDepthwise(ConvS8Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        return plan.IsPlain && g.Group == g.InC && g.OutC == g.InC;
    }

    public override void Run()
    {
        if (_pool is null)
        {
            for (int i = 0, n = WorkItems; i < n; i++)
            {
                Execute(i);
            }
        }
        else
        {
            _pool.For(this, WorkItems);
        }
    }

    public void Execute(int item)
    {
        ConvGeometry g = _g;
        int oh = item % g.OutH, rest = item / g.OutH;
        int od = rest % g.OutD, n = rest / g.OutD;
        int c = g.InC;
        sbyte** taps = stackalloc sbyte*[_taps];
        sbyte** rows = stackalloc sbyte*[g.KD * g.KH]; // each window row's pixel 0, or null outside the input
        sbyte* zero = Pin(_zero);
        int* w = Pin(_weights), bias = Pin(_bias);
        S8RequantView q = _requant.At(0);
        sbyte* y = _y + ((long)item * g.OutW * c);
        bool rowsInside = true;
        for (int kd = 0, r = 0; kd < g.KD; kd++)
        {
            int id = (od * g.StrideD) - g.PadD + (kd * g.DilationD);
            for (int kh = 0; kh < g.KH; kh++, r++)
            {
                int ih = (oh * g.StrideH) - g.PadH + (kh * g.DilationH);
                bool inside = (uint)id < (uint)g.InD && (uint)ih < (uint)g.InH;
                rows[r] = inside ? _x + ((((((long)n * g.InD) + id) * g.InH) + ih) * g.InW * c) : null;
                rowsInside &= inside;
            }
        }

        int begin = _interiorBegin, end = _interiorEnd;
        if (!rowsInside)
        {
            begin = end = g.OutW; // the window leaves the input vertically: every pixel gathers
        }

        for (int ow = 0; ow < begin; ow++)
        {
            Gather(taps, rows, zero, ow);
            TPixel.Run(taps, _taps, w, _wStride, bias, y + ((long)ow * c), c, q);
        }

        if (end > begin)
        {
            Gather(taps, rows, zero, begin);
            TPixel.RunRow(taps, _taps, (nint)g.StrideW * c, end - begin, w, _wStride, bias, y + ((long)begin * c), c, q);
        }

        for (int ow = Math.Max(end, begin); ow < g.OutW; ow++)
        {
            Gather(taps, rows, zero, ow);
            TPixel.Run(taps, _taps, w, _wStride, bias, y + ((long)ow * c), c, q);
        }
    }

    /// <summary>The tap pointers of output column ow: its input pixel in each window row, or the z_x row outside the input.</summary>
    private void Gather(sbyte** taps, sbyte** rows, sbyte* zero, int ow)
    {
        ConvGeometry g = _g;
        int c = g.InC;
        for (int r = 0, t = 0, rowCount = g.KD * g.KH; r < rowCount; r++)
        {
            sbyte* row = rows[r];
            for (int kw = 0; kw < g.KW; kw++, t++)
            {
                int iw = (ow * g.StrideW) - g.PadW + (kw * g.DilationW);
                taps[t] = row is not null && (uint)iw < (uint)g.InW ? row + ((long)iw * c) : zero;
            }
        }
    }

    private static T* Pin<T>(T[] pinned)
        where T : unmanaged => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}
