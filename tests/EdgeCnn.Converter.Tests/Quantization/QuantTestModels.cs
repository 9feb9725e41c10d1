using EdgeCnn.Converter.Calibration;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Tests.Quantization;

/// <summary>Small fp32 models built in code, with random weights and calibration data from a fixed seed.</summary>
internal static class QuantTestModels
{
    public static float[] Random(Random rng, int n, float scale = 1f) =>
        Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1) * scale).ToArray();

    /// <summary>
    /// x [1, 8, 8, 3] -> Conv 3x3 pad 1 + Relu (8) -> depthwise Conv 3x3 stride 2 pad 1 (group 8) -> MaxPool 2x2 ->
    /// Add per-channel constant -> Flatten -> Dense 10 -> Softmax. Every conversion path of the quantizer on one page.
    /// </summary>
    public static ModelDefinition SmallCnn(int seed = 1, FusedActivation firstActivation = FusedActivation.Relu)
    {
        var rng = new Random(seed);
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 8, 8, 3]);
        TensorRef c1 = b.Conv(x, b.Constant("w1", Random(rng, 8 * 3 * 3 * 3, 0.5f), [8, 3, 3, 3]), b.Constant("b1", Random(rng, 8, 0.1f), [8]),
            new ConvOptions { Pads = [1, 1, 1, 1], Activation = firstActivation }, name: "conv1");
        TensorRef c2 = b.Conv(c1, b.Constant("w2", Random(rng, 8 * 3 * 3, 0.5f), [8, 3, 3, 1]), b.Constant("b2", Random(rng, 8, 0.1f), [8]),
            new ConvOptions { Pads = [1, 1, 1, 1], Strides = [2, 2], Group = 8 }, name: "dwconv");
        TensorRef p = b.Node(OpCode.MaxPool, [c2], [NodeAttribute.IntList(AttributeKey.KernelShape, [2, 2]), NodeAttribute.IntList(AttributeKey.Strides, [2, 2])],
            null, "pool");
        TensorRef a = b.Node(OpCode.Add, [p, b.Constant("shift", Random(rng, 8), [8])], null, null, "add");
        TensorRef f = b.Node(OpCode.Flatten, [a], [NodeAttribute.Int(AttributeKey.Axis, 1)], null, "flatten");
        TensorRef d = b.Dense(f, b.Constant("wd", Random(rng, 10 * 32, 0.3f), [10, 32]), b.Constant("bd", Random(rng, 10, 0.1f), [10]), name: "dense");
        b.Output(b.Node(OpCode.Softmax, [d], null, null, "probabilities"));
        return b.Definition;
    }

    public static TensorCalibrationSource Samples(int count, int size, int seed = 3)
    {
        var rng = new Random(seed);
        return new TensorCalibrationSource(Enumerable.Range(0, count).Select(_ => Random(rng, size)).ToArray(), "random samples");
    }
}
