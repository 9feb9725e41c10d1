using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>Run() of every pooling and normalization kernel (fp32 and int8) allocates nothing; empty windows are real 0.</summary>
public class PoolingAllocationTests
{
    public static TheoryData<string, bool> Ops => new()
    {
        { "max", false }, { "max", true }, { "avg", false }, { "avg", true }, { "lp", false }, { "lp", true },
        { "gap", false }, { "gap", true }, { "gmp", false }, { "gmp", true }, { "bn", false }, { "bn", true },
        { "softmax", false }, { "softmax", true }, { "logsoftmax", false }, { "logsoftmax", true }, { "maxout", false }, { "maxout", true },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void Run_does_not_allocate(string op, bool int8)
    {
        var b = new ModelBuilder();
        QuantizationInfo? q = int8 ? QuantizationInfo.PerTensor(0.1f, 0) : null;
        TensorRef x = b.Input("x", int8 ? DataType.Int8 : DataType.Float32, [1, 6, 6, 4], q);
        b.Output(op switch
        {
            "max" => b.MaxPool(x, [3, 3], [2, 2], [1, 1, 1, 1], outputQuantization: q),
            "avg" => b.AveragePool(x, [3, 3], [2, 2], [1, 1, 1, 1], ceilMode: true, outputQuantization: q),
            "lp" => b.LpPool(x, [2, 2], 3, outputQuantization: q),
            "gap" => b.GlobalAveragePool(x, q),
            "gmp" => b.GlobalMaxPool(x, q),
            "bn" => b.BatchNorm(x, [1, 2, 3, 4], [0, 0, 1, 1], [0, 1, 0, 1], [1, 1, 2, 2], outputQuantization: q),
            "softmax" => b.Softmax(x, 1, q),
            "logsoftmax" => b.LogSoftmax(x, -1, q),
            _ => b.Maxout(x, 2, q),
        });
        using InferenceSession s = b.BuildSession();
        AllocationAssert.NoAllocations(s.Run, 20, $"{op} int8 {int8}");
    }

    [Fact]
    public void A_window_with_no_tap_in_the_input_is_real_zero()
    {
        // 1D in 1, k2 dilation 2, pads 1/1: the one window has taps at -1 and 1, both outside the input [0, 1).
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 1, 2]);
        b.Output(b.MaxPool(x, [2], pads: [1, 1], dilations: [2]));
        Tolerance.AllClose([0, 0], Run.Float(b, [-5, 7]), "empty max");
        b = new ModelBuilder();
        x = b.Input("x", DataType.Float32, [1, 1, 2]);
        b.Output(b.AveragePool(x, [2], pads: [1, 1], dilations: [2], countIncludePad: true));
        Tolerance.AllClose([0, 0], Run.Float(b, [-5, 7]), "empty avg");
        b = new ModelBuilder();
        x = b.Input("x", DataType.Float32, [1, 1, 2]);
        b.Output(b.LpPool(x, [2], pads: [1, 1], dilations: [2]));
        Tolerance.AllClose([0, 0], Run.Float(b, [-5, 7]), "empty lp");
        foreach (bool avg in new[] { false, true })
        {
            b = new ModelBuilder();
            x = b.Input("x", DataType.Int8, [1, 1, 2], QuantizationInfo.PerTensor(1f, 3));
            QuantizationInfo qo = QuantizationInfo.PerTensor(0.5f, -9);
            b.Output(avg ? b.AveragePool(x, [2], pads: [1, 1], dilations: [2], outputQuantization: qo)
                : b.MaxPool(x, [2], pads: [1, 1], dilations: [2], outputQuantization: qo));
            Tolerance.Equal([-9, -9], Run.Int8(b, [100, -100]), $"empty s8 avg {avg}"); // real 0 is the output zero point
        }
    }
}
