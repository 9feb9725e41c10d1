namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// A resolved pooling window over channels-last [N, D, H, W, C] data. 1D and 2D pools are the 3D pool with the missing
/// leading spatial axes of size 1 (kernel 1, stride 1, no padding), so one reference kernel serves all ranks.
/// Built at Plan; Run only reads it.
/// </summary>
public sealed class PoolGeometry
{
    private readonly int[] _in = new int[3];     // input extent per axis (D, H, W)
    private readonly int[] _out = new int[3];    // output extent per axis
    private readonly int[] _kernel = new int[3]; // taps per axis
    private readonly int[] _stride = new int[3];
    private readonly int[] _dilation = new int[3];
    private readonly int[] _padBegin = new int[3];
    private readonly int[] _padEnd = new int[3];

    /// <summary>Arrays list the r = 1..3 spatial axes in input order; they are right-aligned into (D, H, W).</summary>
    public PoolGeometry(int batch, int channels, int[] input, int[] output, int[] kernel, int[] strides, int[] dilations,
        int[] padBegin, int[] padEnd)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(strides);
        ArgumentNullException.ThrowIfNull(dilations);
        ArgumentNullException.ThrowIfNull(padBegin);
        ArgumentNullException.ThrowIfNull(padEnd);
        int r = input.Length;
        if (r is < 1 or > 3 || output.Length != r || kernel.Length != r || strides.Length != r || dilations.Length != r ||
            padBegin.Length != r || padEnd.Length != r)
        {
            throw new ArgumentException("pool geometry needs 1 to 3 spatial axes, every list of the same length", nameof(input));
        }

        Batch = batch;
        Channels = channels;
        for (int a = 0; a < 3; a++)
        {
            int s = a - (3 - r); // source axis, negative for a missing leading axis
            _in[a] = s < 0 ? 1 : input[s];
            _out[a] = s < 0 ? 1 : output[s];
            _kernel[a] = s < 0 ? 1 : kernel[s];
            _stride[a] = s < 0 ? 1 : strides[s];
            _dilation[a] = s < 0 ? 1 : dilations[s];
            _padBegin[a] = s < 0 ? 0 : padBegin[s];
            _padEnd[a] = s < 0 ? 0 : padEnd[s];
        }
    }

    public int Batch { get; }

    public int Channels { get; }

    public int InputSpatial => _in[0] * _in[1] * _in[2];

    public int OutputSpatial => _out[0] * _out[1] * _out[2];

    /// <summary>Largest number of taps a window can have: the divisors of an average pool are 0..KernelVolume.</summary>
    public int KernelVolume => _kernel[0] * _kernel[1] * _kernel[2];

    public int OutD => _out[0];

    public int OutH => _out[1];

    public int OutW => _out[2];

    public int InD => _in[0];

    public int InH => _in[1];

    public int InW => _in[2];

    /// <summary>
    /// The window of output index o on axis a: taps [first, end) land inside the input; padded counts the taps that land
    /// inside the input or its explicit/auto padding, not the positions past the end padding that ceil_mode adds (as ONNX
    /// and PyTorch count for count_include_pad).
    /// </summary>
    public AxisWindow Window(int axis, int o)
    {
        int k = _kernel[axis], d = _dilation[axis], n = _in[axis];
        int start = (o * _stride[axis]) - _padBegin[axis]; // input index of tap 0
        int first = start >= 0 ? 0 : (-start + d - 1) / d;
        int end = start > n - 1 ? 0 : Math.Min(k, ((n - 1 - start) / d) + 1);
        int limit = n + _padEnd[axis] - 1; // last position inside the end padding
        int padded = start > limit ? 0 : Math.Min(k, ((limit - start) / d) + 1);
        return new AxisWindow(start, d, first, Math.Max(first, end), padded);
    }
}

/// <summary>Taps [First, End) of one axis land on input index Start + tap * Dilation; Padded counts taps inside the pads.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct AxisWindow(int Start, int Dilation, int First, int End, int Padded)
{
    public int Valid => End - First;

    public int Index(int tap) => Start + (tap * Dilation);
}
