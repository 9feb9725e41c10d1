using EdgeCnn.Converter.Reports;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Tests;

public class ModelInspectorTests
{
    [Fact]
    public void Counts_macs_and_parameters_per_layer()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 8, 8, 3]);
        TensorRef w = b.Constant("w", new float[4 * 3 * 3 * 3], [4, 3, 3, 3]);
        TensorRef bias = b.Constant("b", new float[4], [4]);
        TensorRef c = b.Node(OpCode.Conv, [x, w, bias], [NodeAttribute.Int(AttributeKey.PadMode, (int)PadMode.Valid)], name: "conv");
        TensorRef r = b.Node(OpCode.Reshape, [c], [NodeAttribute.IntList(AttributeKey.Shape, [1, -1])], name: "flat");
        TensorRef dw = b.Constant("dw", new float[10 * 144], [10, 144]);
        b.Output(b.Node(OpCode.Dense, [r, dw], name: "fc"));
        using InferenceSession s = b.BuildSession();
        (IReadOnlyList<LayerSummary> layers, ModelTotals totals) = ModelInspector.Inspect(s);

        // conv: 6x6x4 outputs, each 3x3x3 MACs = 144 * 27 = 3888; params 108 + 4
        Assert.Equal(3888, layers[0].Macs);
        Assert.Equal(112, layers[0].Parameters);
        Assert.Equal("view", layers[1].Kernel);
        // fc: 10 outputs x 144 = 1440
        Assert.Equal(1440, layers[2].Macs);
        Assert.Equal(112 + 1440, totals.Parameters);
        Assert.Equal(3888 + 144 + 1440, totals.Macs);
        Assert.Equal(s.ArenaBytes, totals.ArenaBytes);
        Assert.True(totals.FileBytes > (112 + 1440) * 4);
    }
}
