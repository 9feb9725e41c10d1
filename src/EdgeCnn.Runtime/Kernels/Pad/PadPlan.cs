using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Pad;

/// <summary>
/// A Pad node (fp32 or int8) with its axes reduced at Plan: an axis whose inner neighbour group is neither padded nor cropped
/// merges with it (its begin scaled by the group's size), so NHWC spatial padding is [N, H, W * C] and a crop of the last
/// axis stays one axis of short rows. The fill value is already in the output's type (as bits in <see cref="FillBits"/>).
/// </summary>
internal sealed unsafe class PadPlan
{
    public PadPlan(DataType type, void* x, void* y, ReadOnlySpan<int> inShape, ReadOnlySpan<int> outShape, ReadOnlySpan<int> padBegin,
        int mode, float fill)
    {
        Type = type;
        X = x;
        Y = y;
        Mode = mode;
        Fill = fill;
        (InShape, OutShape, Begin) = Reduce(inShape, outShape, padBegin);
    }

    public DataType Type { get; }

    public void* X { get; }

    public void* Y { get; }

    /// <summary><see cref="PadKernels.Constant"/>, Reflect or Edge.</summary>
    public int Mode { get; }

    /// <summary>The constant fill in the output's type (fp32 value, or the int8 code as a float).</summary>
    public float Fill { get; }

    /// <summary>Reduced input shape (rank >= 1), outermost first.</summary>
    public int[] InShape { get; }

    /// <summary>Reduced output shape.</summary>
    public int[] OutShape { get; }

    /// <summary>Reduced pad before each axis (negative crops).</summary>
    public int[] Begin { get; }

    internal static (int[] In, int[] Out, int[] Begin) Reduce(ReadOnlySpan<int> inShape, ReadOnlySpan<int> outShape, ReadOnlySpan<int> padBegin)
    {
        var ins = new List<int>();
        var outs = new List<int>();
        var begins = new List<int>();
        if (inShape.Length == 0)
        {
            return ([1], [1], [0]);
        }

        ins.Add(inShape[^1]);
        outs.Add(outShape[^1]);
        begins.Add(padBegin[^1]);
        for (int d = inShape.Length - 2; d >= 0; d--)
        {
            bool innerFull = ins[0] == outs[0] && begins[0] == 0;
            if (innerFull && (long)inShape[d] * ins[0] <= int.MaxValue && (long)outShape[d] * ins[0] <= int.MaxValue
                && Math.Abs((long)padBegin[d] * ins[0]) <= int.MaxValue)
            {
                int inner = ins[0];
                ins[0] = inShape[d] * inner;
                outs[0] = outShape[d] * inner;
                begins[0] = padBegin[d] * inner;
            }
            else
            {
                ins.Insert(0, inShape[d]);
                outs.Insert(0, outShape[d]);
                begins.Insert(0, padBegin[d]);
            }
        }

        return (ins.ToArray(), outs.ToArray(), begins.ToArray());
    }
}
