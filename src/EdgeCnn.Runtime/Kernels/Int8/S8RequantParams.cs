using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>
/// The per output channel constants of FixedPoint.MultiplyByQuantizedMultiplierSingleRounding in the layout the vector epilogues load: one
/// int32 row per term, each padded by <see cref="Padding"/> neutral channels so that a full vector may be read past the
/// last channel of a partial tile (its lanes are computed and dropped). Built at Plan from the reference's
/// <see cref="Int8Requant"/>; the arrays are pinned, so Run reads them through raw pointers.
/// </summary>
public sealed unsafe class S8RequantParams
{
    /// <summary>Extra channels at the end of every row: the widest epilogue vector (16 int32 lanes).</summary>
    public const int Padding = 16;

    private const int Rows = 6;
    private readonly int[] _data; // [Rows][Stride], pinned

    public S8RequantParams(Int8Requant requant, int channels)
    {
        ArgumentNullException.ThrowIfNull(requant);
        if (requant.Multipliers.Length < channels || requant.Shifts.Length < channels)
        {
            throw new ArgumentException($"requantization has {requant.Multipliers.Length} multipliers for {channels} channels", nameof(requant));
        }

        Channels = channels;
        Stride = channels + Padding;
        _data = GC.AllocateArray<int>(Rows * Stride, pinned: true);
        int* p = Base;
        for (int o = 0; o < channels; o++)
        {
            // QuantizeMultiplier yields multipliers in [0, 2^31) and shifts in [-31, 30]; the vector high-multiplies rely on it.
            int m = requant.Multipliers[o], shift = requant.Shifts[o];
            if (m < 0 || shift is < -31 or > 30)
            {
                throw new ArgumentException($"channel {o}: multiplier {m} shift {shift} is outside QuantizeMultiplier's range", nameof(requant));
            }

            int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
            p[o] = m;
            p[Stride + o] = left;
            p[(2 * Stride) + o] = 1 << left;
            p[(3 * Stride) + o] = right;
            p[(4 * Stride) + o] = right == 0 ? 0 : 1 << (right - 1);
            p[(5 * Stride) + o] = right == 0 ? 1 << 30 : 0;
        }

        for (int o = channels; o < Stride; o++)
        {
            p[(2 * Stride) + o] = 1; // neutral: multiplier 0, shifts 0, left factor 1
        }

        OutputZeroPoint = requant.OutputZeroPoint;
        Min = requant.Min;
        Max = requant.Max;
    }

    public int Channels { get; }

    /// <summary>Ints per row: channels plus padding.</summary>
    public int Stride { get; }

    public int OutputZeroPoint { get; }

    public int Min { get; }

    public int Max { get; }

    /// <summary>The constants from channel <paramref name="channel"/> on, as the epilogues read them.</summary>
    public S8RequantView At(int channel) => new(Base + channel, Stride, OutputZeroPoint, Min, Max);

    private int* Base => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_data));
}

/// <summary>
/// Pointers to the requantization rows of one channel onward (see <see cref="S8RequantParams"/>): Q31 multiplier, left
/// shift, 2^left (for ISAs without a per-lane shift), right shift, the rounding bit 2^(right-1) (0 when right == 0) and
/// the nudge added to the 64-bit product before its high half is taken (2^30 when right == 0, else 0), plus the output
/// zero point and clamp.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly unsafe struct S8RequantView(int* first, int stride, int outputZeroPoint, int min, int max)
{
    public readonly int* Multiplier = first;
    public readonly int* LeftShift = first + stride;
    public readonly int* LeftFactor = first + (2 * stride);
    public readonly int* RightShift = first + (3 * stride);
    public readonly int* RoundBit = first + (4 * stride);
    public readonly int* Nudge = first + (5 * stride);
    public readonly int OutputZeroPoint = outputZeroPoint;
    public readonly int Min = min;
    public readonly int Max = max;

    /// <summary>The same constants <paramref name="channels"/> channels further on.</summary>
    public S8RequantView Offset(int channels) =>
        new(Multiplier + channels, (int)(LeftShift - Multiplier), OutputZeroPoint, Min, Max);
}
