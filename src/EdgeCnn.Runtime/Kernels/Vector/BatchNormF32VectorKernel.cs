using EdgeCnn.Runtime.Ops;

namespace EdgeCnn.Runtime.Kernels.Vector;

/// <summary>
/// fp32 BatchNorm as a per-channel affine map over NHWC: per pixel, y = x * A + B a vector of channels at a time, A and B
/// pinned at Plan; the channel tail is scalar. Multiply then add, unfused, as the reference: the results are identical.
/// Safe in place (each element is read before it is written).
/// </summary>
internal sealed unsafe class BatchNormF32VectorKernel<TOps, TVec> : Kernel
    where TOps : IF32Ops<TVec>
    where TVec : struct
{
    private readonly string _name;
    private readonly float* _x, _y;
    private readonly int _pixels, _channels;
    private readonly PinnedBuffer<float> _ab; // [A (C)][B (C)]

    public BatchNormF32VectorKernel(string name, BatchNormF32Plan plan)
    {
        _name = name;
        _x = plan.X;
        _y = plan.Y;
        _channels = plan.A.Length;
        _pixels = _channels == 0 ? 0 : plan.Count / _channels;
        _ab = new PinnedBuffer<float>(Math.Max(2 * _channels, 1));
        plan.A.CopyTo(new Span<float>(_ab.Pointer, _channels));
        plan.B.CopyTo(new Span<float>(_ab.Pointer + _channels, _channels));
    }

    public override string Name => _name;

    public override void Run()
    {
        int c = _channels, w = TOps.Count;
        float* a = _ab.Pointer, b = _ab.Pointer + c;
        for (int p = 0; p < _pixels; p++)
        {
            float* x = _x + ((long)p * c), y = _y + ((long)p * c);
            int ch = 0;
            for (; ch <= c - w; ch += w)
            {
                TOps.Store(TOps.Add(TOps.Multiply(TOps.Load(a + ch), TOps.Load(x + ch)), TOps.Load(b + ch)), y + ch);
            }

            for (; ch < c; ch++)
            {
                y[ch] = (a[ch] * x[ch]) + b[ch];
            }
        }
    }
}
