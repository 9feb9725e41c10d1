using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.Kernels;

/// <summary>
/// One benchmarked layer: a convolution (or Dense) shape from the zoo's architectures, its multiply-accumulate count, and the
/// single-node model that runs it. Family says which kernel-table rows apply ("gemm", "dw", "dense").
/// </summary>
public sealed record LayerShape(string Name, string Family, int H, int W, int C, int O, int K, int Stride, int Group)
{
    /// <summary>Shapes from ResNet-18, MobileNetV2, SqueezeNet 1.1 and Ultraface RFB-320 (batch 1), the layers where their time goes.</summary>
    public static IReadOnlyList<LayerShape> All { get; } =
    [
        new("conv3x3 56x56x64->64", "gemm", 56, 56, 64, 64, 3, 1, 1),
        new("conv3x3 28x28x128->128", "gemm", 28, 28, 128, 128, 3, 1, 1),
        new("conv3x3 14x14x256->256", "gemm", 14, 14, 256, 256, 3, 1, 1),
        new("conv3x3 112x112x16->16", "gemm", 112, 112, 16, 16, 3, 1, 1),
        new("conv3x3 28x28x32->32", "gemm", 28, 28, 32, 32, 3, 1, 1),
        new("conv3x3 7x7x512->512", "gemm", 7, 7, 512, 512, 3, 1, 1),
        new("conv3x3/2 56x56x64->128", "gemm", 56, 56, 64, 128, 3, 2, 1),
        new("conv1x1 56x56x64->64", "gemm", 56, 56, 64, 64, 1, 1, 1),
        new("conv1x1 28x28x128->128", "gemm", 28, 28, 128, 128, 1, 1, 1),
        new("conv1x1 28x28x32->192", "gemm", 28, 28, 32, 192, 1, 1, 1),
        new("conv1x1 14x14x96->576", "gemm", 14, 14, 96, 576, 1, 1, 1),
        new("conv1x1 56x56x144->24", "gemm", 56, 56, 144, 24, 1, 1, 1),
        new("conv1x1 112x112x16->96", "gemm", 112, 112, 16, 96, 1, 1, 1),
        new("conv1x1 120x160x16->32", "gemm", 120, 160, 16, 32, 1, 1, 1),
        new("conv3x3 224x224x3->32 /2", "gemm", 224, 224, 3, 32, 3, 2, 1),
        new("conv3x3/2 224x224x3->64", "gemm", 224, 224, 3, 64, 3, 2, 1),
        new("conv7x7/2 224x224x3->64", "gemm", 224, 224, 3, 64, 7, 2, 1),
        new("conv5x5 28x28x1->8", "gemm", 28, 28, 1, 8, 5, 1, 1),
        new("conv3x3/2 240x320x3->16", "gemm", 240, 320, 3, 16, 3, 2, 1),
        new("dw3x3 112x112x32", "dw", 112, 112, 32, 32, 3, 1, 32),
        new("dw3x3 56x56x144", "dw", 56, 56, 144, 144, 3, 1, 144),
        new("dw3x3/2 56x56x144", "dw", 56, 56, 144, 144, 3, 2, 144),
        new("dw3x3/2 112x112x96", "dw", 112, 112, 96, 96, 3, 2, 96),
        new("dw3x3 120x160x16", "dw", 120, 160, 16, 16, 3, 1, 16),
        new("dw5x5 14x14x480", "dw", 14, 14, 480, 480, 5, 1, 480),
        new("dense 512->1000", "dense", 1, 1, 512, 1000, 1, 1, 1),
    ];

    public int OutH => ((H + (2 * (K / 2)) - K) / Stride) + 1;

    public int OutW => ((W + (2 * (K / 2)) - K) / Stride) + 1;

    /// <summary>Multiply-accumulates of one run (FLOPs are twice this).</summary>
    public long Macs => (long)OutH * OutW * O * K * K * (C / Group);

    public static LayerShape Find(string name) => All.First(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>The single-node model, weights and input seeded.</summary>
    public ModelBuilder Build()
    {
        var rng = new Random(42);
        float[] Random(long n) => Enumerable.Range(0, checked((int)n)).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var b = new ModelBuilder();
        if (string.Equals(Family, "dense", StringComparison.Ordinal))
        {
            TensorRef xd = b.Input("x", DataType.Float32, [1, C]);
            b.Output(b.Dense(xd, b.Constant("w", Random((long)O * C), [O, C]), b.Constant("b", Random(O), [O])));
            return b;
        }

        TensorRef x = b.Input("x", DataType.Float32, [1, H, W, C]);
        TensorRef w = b.Constant("w", Random((long)O * K * K * (C / Group)), [O, K, K, C / Group]);
        int p = K / 2;
        b.Output(b.Conv(x, w, b.Constant("b", Random(O), [O]), new ConvOptions
        {
            Strides = [Stride, Stride], Pads = [p, p, p, p], Group = Group, Activation = FusedActivation.Relu,
        }));
        return b;
    }
}
