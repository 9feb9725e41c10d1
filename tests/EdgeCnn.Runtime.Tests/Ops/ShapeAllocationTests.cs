using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

public class ShapeAllocationTests
{
    [Fact]
    public void Shape_kernels_run_without_allocating()
    {
        // fp32: transpose -> pad (reflect) -> resize linear -> resize nearest -> concat with a reshaped view.
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 2, 3, 2]);
        TensorRef t = b.Transpose(x, [0, 2, 1, 3]);
        TensorRef p = b.Pad(t, [0, 1, 1, 0, 0, 1, 1, 0], PadFill.Reflect);
        TensorRef r = b.Resize(p, [1, 6, 6, 2], ResizeMode.Linear);
        TensorRef n = b.Resize(r, [1, 3, 3, 2]);
        b.Output(b.Concat([b.Reshape(n, [1, 3, 3, 2]), n], -1));
        using InferenceSession s = b.BuildSession();
        AllocationAssert.NoAllocations(s.Run, 20, "f32 shape chain");

        // int8: the same chain, with a requantizing concat and a linear resize via fp32.
        QuantizationInfo q = QuantizationInfo.PerTensor(0.5f, 1);
        b = new ModelBuilder();
        x = b.Input("x", DataType.Int8, [1, 2, 3, 2], q);
        t = b.Transpose(x, [0, 2, 1, 3]);
        p = b.Pad(t, [0, 1, 1, 0, 0, 1, 1, 0], PadFill.Constant, 1f);
        r = b.Resize(p, [1, 6, 6, 2], ResizeMode.Linear, outputQuantization: QuantizationInfo.PerTensor(0.25f, -3));
        n = b.Resize(r, [1, 3, 3, 2]);
        b.Output(b.Concat([b.Flatten(n, 3), b.Flatten(p, 3)], 0, q));
        using InferenceSession s8 = b.BuildSession();
        AllocationAssert.NoAllocations(s8.Run, 20, "s8 shape chain");
    }
}
