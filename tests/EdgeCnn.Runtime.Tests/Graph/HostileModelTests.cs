using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Graph;

/// <summary>
/// Models a review found that loaded but then failed at Run or computed wrongly: int overflow in window arithmetic,
/// quadratic-or-worse planning, inputs reused during Run, use after Dispose. Each now fails early with a clear error
/// or behaves correctly.
/// </summary>
public class HostileModelTests
{
    [Fact]
    public void Dilation_and_pads_that_would_overflow_window_indices_are_rejected()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 1, 1]);
        OpValidationException e = Assert.Throws<OpValidationException>(() => b.MaxPool(x, [2], pads: [1610612736, 0], dilations: [1610612736]));
        Assert.Contains("exceeds the supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_windows_whose_tap_count_would_overflow_are_rejected()
    {
        var q = QuantizationInfo.PerTensor(0.1f, 0);
        var b = new ModelBuilder();
        TensorRef x8 = b.Input("x8", DataType.Int8, [1, 1, 1, 1, 1], q);
        Assert.Throws<OpValidationException>(() =>
            b.AveragePool(x8, [4194304, 2097152, 2097152], pads: [4194303, 2097151, 2097151, 0, 0, 0], outputQuantization: q));
        TensorRef x = b.Input("x", DataType.Float32, [1, 1, 1, 1, 1]);
        Assert.Throws<OpValidationException>(() => b.AveragePool(x, [65537, 65537, 1], pads: [65536, 65536, 0, 0, 0, 0], countIncludePad: true));
    }

    [Fact]
    public void A_large_kernel_over_a_small_input_averages_correctly_with_a_small_table()
    {
        // int8: a 4096-tap window over 1 element; only divisor 1 (or the padded count) can occur.
        var q = QuantizationInfo.PerTensor(0.1f, 0);
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [1, 1, 1, 1], q);
        b.Output(b.AveragePool(x, [64, 64], pads: [63, 63, 0, 0], outputQuantization: q));
        Assert.Equal([(sbyte)10], Run.Int8(b, [10]));
    }

    [Fact]
    public void Pad_magnitudes_that_would_wrap_are_rejected()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [2]);
        Assert.Throws<OpValidationException>(() => b.Pad(x, [int.MinValue, int.MaxValue], PadFill.Edge));
    }

    [Fact]
    public void A_long_chain_of_views_of_a_constant_plans_and_computes()
    {
        // Planning resolves view chains in one pass; this chain made the old per-tensor walk cubic.
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1]);
        TensorRef t = b.Constant("c", [1.5f], [1]);
        for (int i = 0; i < 3000; i++)
        {
            t = b.Reshape(t, [1]);
        }

        b.Output(b.Add(x, t));
        Assert.Equal([3.5f], Run.Float(b, [2f]));
    }

    [Fact]
    public void Inputs_keep_their_values_so_a_second_run_gives_the_same_output()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 16]);
        b.Output(b.Transpose(b.Node(OpCode.Sigmoid, b.Node(OpCode.Relu, x))));
        using InferenceSession s = b.BuildSession();
        float[] input = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        input.CopyTo(s.Input<float>(0));
        s.Run();
        float[] first = s.Output<float>(0).ToArray();
        Assert.Equal(input, s.Input<float>(0).ToArray());
        s.Run();
        Assert.Equal(first, s.Output<float>(0).ToArray());
    }

    [Fact]
    public void Using_a_disposed_session_throws_instead_of_touching_freed_memory()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [4]);
        b.Output(b.Node(OpCode.Relu, x));
        InferenceSession s = b.BuildSession();
        s.Dispose();
        s.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(s.Run);
        Assert.Throws<ObjectDisposedException>(() => s.Input<float>(0));
        Assert.Throws<ObjectDisposedException>(() => s.Output<float>(0));
    }
}
