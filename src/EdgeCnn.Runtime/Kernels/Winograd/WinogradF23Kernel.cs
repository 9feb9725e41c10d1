using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Gemm;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.Vector;
using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Winograd;

/// <summary>
/// fp32 3x3 stride-1 convolution by Winograd F(2x2, 3x3) (Lavin and Gray 2016): each 2x2 output tile comes from a 4x4 input
/// tile through 16 element-wise products in the transformed domain, which are 16 GEMMs [tiles x C] x [C x O], 2.25x fewer
/// multiplies than direct convolution. Cache-blocked as NNPACK does: tiles are processed in blocks whose transformed inputs
/// and products stay in L2; per block the input transform (B^T d B, channel vectors), the 16 GEMMs (the packed-GEMM
/// microkernel over the block's rows) and the output transform (A^T m A + bias, clamp) run back to back.
/// Weights are transformed (G g G^T) and packed into the microkernel's panels at Plan. Single-threaded (the block buffers are
/// the kernel's own); with a worker pool the GEMM kernel runs instead.
/// </summary>
internal sealed unsafe class WinogradF23Kernel<TMicro, TOps, TVec> : Kernel
    where TMicro : IGemmMicrokernelF32
    where TOps : IF32Ops<TVec>
    where TVec : unmanaged
{
    private readonly string _name;
    private readonly float* _x; // [N, H, W, C]
    private readonly float* _y; // [N, OH, OW, O]
    private readonly float* _bias; // [O] or null
    private readonly PinnedBuffer<float> _packed; // [16][column blocks][NR zero bias + C * NR]: the transformed weights
    private readonly PinnedBuffer<float> _v; // [16][block tiles][C]: transformed input of one block
    private readonly PinnedBuffer<float> _m; // [16][block tiles][O]: products of one block
    private readonly PinnedBuffer<float> _zero; // unused by GEMM rows (ks = 1), required by the microkernel contract
    private readonly int _batch, _inH, _inW, _c, _outH, _outW, _o, _padH, _padW, _tilesH, _tilesW, _blockTiles;
    private readonly long _packedPerMatrix;
    private readonly float _min, _max;
    private readonly FusedActivationSpec _activation;
    private readonly VectorWidth _epilogueWidth;

    public WinogradF23Kernel(string name, ConvF32Plan plan, VectorWidth epilogueWidth)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ConvGeometry g = plan.Geometry;
        _name = name;
        _x = (float*)plan.Tensors.X;
        _y = (float*)plan.Tensors.Y;
        _bias = (float*)plan.Tensors.Bias;
        (_batch, _inH, _inW, _c, _outH, _outW, _o, _padH, _padW) = (g.Batch, g.InH, g.InW, g.InC, g.OutH, g.OutW, g.OutC, g.PadH, g.PadW);
        _tilesH = (_outH + 1) / 2;
        _tilesW = (_outW + 1) / 2;
        // A block's transformed input and products: 16 * tiles * (C + O) floats, kept near 256 KB (L2), in whole MR rows.
        long perTile = 16L * (_c + _o) * sizeof(float);
        _blockTiles = (int)Math.Clamp(256 * 1024 / perTile / TMicro.MR * TMicro.MR, TMicro.MR, 64 * TMicro.MR);
        _packedPerMatrix = GemmPacking.GroupFloats(_o, 1, _c, TMicro.NR);
        _packed = new PinnedBuffer<float>(16 * _packedPerMatrix);
        PackTransformedWeights(new ReadOnlySpan<float>(plan.Tensors.W, plan.Tensors.WCount));
        _v = new PinnedBuffer<float>(16L * _blockTiles * _c);
        _m = new PinnedBuffer<float>(16L * _blockTiles * _o);
        _zero = new PinnedBuffer<float>(1);
        _activation = plan.Activation;
        (_min, _max) = plan.Activation.ClampRange();
        _epilogueWidth = epilogueWidth;
    }

    public override string Name => _name;

    /// <summary>
    /// Fewest input and output channels Winograd takes. Measured single-threaded on this project's AVX2 host against the 6x16
    /// GEMM (bench/results/kernels-f32.md): 0.58x at 16 channels, 0.96x at 32, 1.37x at 64, 1.72x at 128, 1.84x at 256.
    /// </summary>
    public const int MinChannels = 64;

    /// <summary>3x3, stride 1, no dilation, one group, single thread, enough channels for the transforms to pay.</summary>
    public static bool Accepts(ConvF32Plan plan)
    {
        ConvGeometry g = plan.Geometry;
        return plan.IsPlain && plan.Pool is null && g.Group == 1 && g.KD == 1 && g.KH == 3 && g.KW == 3 && g.StrideH == 1 && g.StrideW == 1
            && g.DilationH == 1 && g.DilationW == 1 && g.InD == 1 && g.InC >= MinChannels && g.OutC >= MinChannels;
    }

    public override void Run()
    {
        int tilesPerImage = _tilesH * _tilesW;
        for (int n = 0; n < _batch; n++)
        {
            for (int t0 = 0; t0 < tilesPerImage; t0 += _blockTiles)
            {
                int count = Math.Min(_blockTiles, tilesPerImage - t0);
                for (int t = 0; t < count; t++)
                {
                    TransformInput(n, t0 + t, t);
                }

                Multiply(count);
                for (int t = 0; t < count; t++)
                {
                    TransformOutput(n, t0 + t, t);
                }
            }
        }
    }

    /// <summary>V = B^T d B for one 4x4 input tile, every channel; taps outside the input read 0.</summary>
    private void TransformInput(int n, int tile, int slot)
    {
        int ih0 = (tile / _tilesW * 2) - _padH, iw0 = (tile % _tilesW * 2) - _padW;
        long vStride = (long)_blockTiles * _c; // between the 16 matrices
        float* v = _v.Pointer + ((long)slot * _c);
        float* image = _x + ((long)n * _inH * _inW * _c);
        float** rows = stackalloc float*[16];
        bool* inside = stackalloc bool[16];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                int ih = ih0 + i, iw = iw0 + j;
                inside[(i * 4) + j] = (uint)ih < (uint)_inH && (uint)iw < (uint)_inW;
                rows[(i * 4) + j] = image + ((((long)ih * _inW) + iw) * _c);
            }
        }

        int w = TOps.Count, c = 0;
        TVec* d = stackalloc TVec[16];
        float* s = stackalloc float[16];
        for (; c <= _c - w; c += w)
        {
            for (int k = 0; k < 16; k++)
            {
                d[k] = inside[k] ? TOps.Load(rows[k] + c) : default;
            }

            TransformInputVectors(d, v + c, vStride);
        }

        for (; c < _c; c++)
        {
            for (int k = 0; k < 16; k++)
            {
                s[k] = inside[k] ? rows[k][c] : 0f;
            }

            TransformInputScalar(s, v + c, vStride);
        }
    }

    private static void TransformInputVectors(TVec* d, float* v, long stride)
    {
        TVec* t = stackalloc TVec[16];
        for (int j = 0; j < 4; j++)
        {
            t[j] = TOps.Subtract(d[j], d[8 + j]);
            t[4 + j] = TOps.Add(d[4 + j], d[8 + j]);
            t[8 + j] = TOps.Subtract(d[8 + j], d[4 + j]);
            t[12 + j] = TOps.Subtract(d[4 + j], d[12 + j]);
        }

        for (int i = 0; i < 4; i++)
        {
            TVec* r = t + (i * 4);
            TOps.Store(TOps.Subtract(r[0], r[2]), v + ((i * 4) + 0) * stride);
            TOps.Store(TOps.Add(r[1], r[2]), v + ((i * 4) + 1) * stride);
            TOps.Store(TOps.Subtract(r[2], r[1]), v + ((i * 4) + 2) * stride);
            TOps.Store(TOps.Subtract(r[1], r[3]), v + ((i * 4) + 3) * stride);
        }
    }

    private static void TransformInputScalar(float* d, float* v, long stride)
    {
        float* t = stackalloc float[16];
        for (int j = 0; j < 4; j++)
        {
            t[j] = d[j] - d[8 + j];
            t[4 + j] = d[4 + j] + d[8 + j];
            t[8 + j] = d[8 + j] - d[4 + j];
            t[12 + j] = d[4 + j] - d[12 + j];
        }

        for (int i = 0; i < 4; i++)
        {
            float* r = t + (i * 4);
            v[((i * 4) + 0) * stride] = r[0] - r[2];
            v[((i * 4) + 1) * stride] = r[1] + r[2];
            v[((i * 4) + 2) * stride] = r[2] - r[1];
            v[((i * 4) + 3) * stride] = r[1] - r[3];
        }
    }

    /// <summary>The 16 GEMMs of one block: M[k] (count x O) = V[k] (count x C) x U[k] (C x O).</summary>
    private void Multiply(int count)
    {
        int mr = TMicro.MR;
        float** a = stackalloc float*[mr];
        for (int k = 0; k < 16; k++)
        {
            float* v = _v.Pointer + ((long)k * _blockTiles * _c);
            float* m = _m.Pointer + ((long)k * _blockTiles * _o);
            float* w = _packed.Pointer + (k * _packedPerMatrix);
            for (int r0 = 0; r0 < count; r0 += mr)
            {
                int rows = Math.Min(mr, count - r0);
                for (int r = 0; r < mr; r++)
                {
                    a[r] = v + ((long)(r0 + Math.Min(r, rows - 1)) * _c);
                }

                TMicro.Run(rows, _o, _c, 1, a, 0, _zero.Pointer, w, m + ((long)r0 * _o), _o, float.NegativeInfinity, float.PositiveInfinity);
            }
        }
    }

    /// <summary>Y = A^T m A + bias for one tile, clamped, written where the 2x2 tile lies inside the output.</summary>
    private void TransformOutput(int n, int tile, int slot)
    {
        int oh0 = tile / _tilesW * 2, ow0 = tile % _tilesW * 2;
        long mStride = (long)_blockTiles * _o;
        float* m = _m.Pointer + ((long)slot * _o);
        float* image = _y + ((long)n * _outH * _outW * _o);
        float** outRows = stackalloc float*[4];
        int valid = 0;
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                int oh = oh0 + i, ow = ow0 + j;
                outRows[(i * 2) + j] = oh < _outH && ow < _outW ? image + ((((long)oh * _outW) + ow) * _o) : null;
                valid += outRows[(i * 2) + j] is null ? 0 : 1;
            }
        }

        int w = TOps.Count, c = 0;
        TVec vmin = TOps.Broadcast(_min), vmax = TOps.Broadcast(_max);
        TVec* s = stackalloc TVec[16];
        float* q = stackalloc float[16];
        for (; c <= _o - w; c += w)
        {
            for (int k = 0; k < 16; k++)
            {
                s[k] = TOps.Load(m + (k * mStride) + c);
            }

            TVec b = _bias is null ? default : TOps.Load(_bias + c);
            for (int j = 0; j < 4; j++)
            {
                // Rows of A^T m: r0 = m0 + m1 + m2, r1 = m1 - m2 - m3 (per column j).
                TVec m1 = s[4 + j], m2 = s[8 + j];
                s[j] = TOps.Add(TOps.Add(s[j], m1), m2);
                s[4 + j] = TOps.Subtract(TOps.Subtract(m1, m2), s[12 + j]);
            }

            for (int i = 0; i < 2; i++)
            {
                TVec* r = s + (i * 4);
                Store(outRows[i * 2], TOps.Add(TOps.Add(TOps.Add(r[0], r[1]), r[2]), b), c, vmin, vmax);
                Store(outRows[(i * 2) + 1], TOps.Add(TOps.Subtract(TOps.Subtract(r[1], r[2]), r[3]), b), c, vmin, vmax);
            }
        }

        for (; c < _o; c++)
        {
            for (int k = 0; k < 16; k++)
            {
                q[k] = m[(k * mStride) + c];
            }

            float b = _bias is null ? 0f : _bias[c];
            for (int j = 0; j < 4; j++)
            {
                float m1 = q[4 + j], m2 = q[8 + j];
                q[j] = q[j] + m1 + m2;
                q[4 + j] = m1 - m2 - q[12 + j];
            }

            for (int i = 0; i < 2; i++)
            {
                float* r = q + (i * 4);
                StoreScalar(outRows[i * 2], r[0] + r[1] + r[2] + b, c);
                StoreScalar(outRows[(i * 2) + 1], r[1] - r[2] - r[3] + b, c);
            }
        }

        if (_activation.Kind is FusedActivation.LeakyRelu or FusedActivation.HardSwish)
        {
            for (int p = 0; p < 4; p++)
            {
                if (outRows[p] is not null)
                {
                    Epilogue(outRows[p]);
                }
            }
        }
    }

    private static void Store(float* row, TVec v, int c, TVec vmin, TVec vmax)
    {
        if (row is not null)
        {
            TOps.Store(TOps.Clamp(v, vmin, vmax), row + c);
        }
    }

    private void StoreScalar(float* row, float v, int c)
    {
        if (row is not null)
        {
            row[c] = MathF.Min(MathF.Max(v, _min), _max);
        }
    }

    private void Epilogue(float* row)
    {
        if (_activation.Kind == FusedActivation.LeakyRelu)
        {
            VectorUnaryDriver.Apply(row, row, _o, new LeakyReluVector(_activation.Alpha), _epilogueWidth);
        }
        else
        {
            VectorUnaryDriver.Apply(row, row, _o, default(HardSwishVector), _epilogueWidth);
        }
    }

    /// <summary>U = G g G^T per (o, c), in double, packed per transformed position k as a [C x O] GEMM panel with zero bias.</summary>
    private void PackTransformedWeights(ReadOnlySpan<float> weights)
    {
        var u = new float[16][];
        for (int k = 0; k < 16; k++)
        {
            u[k] = new float[_o * _c]; // [O][C]: OHWI with one tap
        }

        Span<double> gg = stackalloc double[12];
        for (int o = 0; o < _o; o++)
        {
            for (int c = 0; c < _c; c++)
            {
                // gg = G g (4x3), g[kh][kw] = weights[o][kh][kw][c]
                for (int kw = 0; kw < 3; kw++)
                {
                    double g0 = weights[(((o * 3) + 0) * 3 + kw) * _c + c];
                    double g1 = weights[(((o * 3) + 1) * 3 + kw) * _c + c];
                    double g2 = weights[(((o * 3) + 2) * 3 + kw) * _c + c];
                    gg[kw] = g0;
                    gg[3 + kw] = 0.5 * (g0 + g1 + g2);
                    gg[6 + kw] = 0.5 * (g0 - g1 + g2);
                    gg[9 + kw] = g2;
                }

                for (int i = 0; i < 4; i++)
                {
                    double a0 = gg[i * 3], a1 = gg[(i * 3) + 1], a2 = gg[(i * 3) + 2];
                    u[(i * 4) + 0][(o * _c) + c] = (float)a0;
                    u[(i * 4) + 1][(o * _c) + c] = (float)(0.5 * (a0 + a1 + a2));
                    u[(i * 4) + 2][(o * _c) + c] = (float)(0.5 * (a0 - a1 + a2));
                    u[(i * 4) + 3][(o * _c) + c] = (float)a2;
                }
            }
        }

        for (int k = 0; k < 16; k++)
        {
            GemmPacking.Pack(u[k], ReadOnlySpan<float>.Empty, 1, _o, 1, _c, TMicro.NR,
                _packed.Span.Slice((int)(k * _packedPerMatrix), (int)_packedPerMatrix));
        }
    }
}
