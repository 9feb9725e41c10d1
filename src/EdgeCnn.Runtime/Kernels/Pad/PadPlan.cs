namespace EdgeCnn.Runtime.Kernels.Pad;

/// <summary>
/// A constant-mode Pad as Plan sees it: input and output of the same element type, the shapes, and the signed begin pads
/// of every axis (negative crops). <see cref="Fill"/> is the fill value's bits in the element type (int8: quantize(Value)).
/// </summary>
internal sealed unsafe class PadPlan(void* x, void* y, int[] inShape, int[] outShape, int[] padBegin, long fill)
{
    public void* X { get; } = x;             // [inShape] of the element type

    public void* Y { get; } = y;             // [outShape] of the element type

    public int[] InShape { get; } = inShape;

    public int[] OutShape { get; } = outShape;

    public int[] PadBegin { get; } = padBegin;

    public long Fill { get; } = fill;
}
