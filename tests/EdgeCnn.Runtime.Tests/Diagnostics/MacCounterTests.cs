using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Tests.Diagnostics;

public class MacCounterTests
{
    [Fact]
    public void Counts_each_weighted_op_by_its_formula_and_other_ops_by_output_elements()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 8, 8, 4]);
        var valid = new ConvOptions { PadMode = PadMode.Valid };
        // Conv, 2 groups: 6x6x6 outputs, each reads 3x3 x (4/2) weights = 216 * 18
        TensorRef conv = b.Conv(x, b.Constant("w0", new float[6 * 3 * 3 * 2], [6, 3, 3, 2]), options: new ConvOptions { PadMode = PadMode.Valid, Group = 2 }, name: "conv");
        // ConvTranspose, 2 groups, stride 2: each of 216 input elements feeds 2x2 taps x (4/2) output channels = 216 * 8
        TensorRef up = b.ConvTranspose(conv, b.Constant("w1", new float[4 * 2 * 2 * 3], [4, 2, 2, 3]),
            options: new ConvOptions { Strides = [2, 2], Group = 2 }, name: "up");
        // TiledConv2D 2x2 tiles on 12x12x4, 3x3 kernel: 10x10x5 outputs x 3*3*4 = 500 * 36
        TensorRef tiled = b.TiledConv2D(up, b.Constant("w2", new float[2 * 2 * 5 * 3 * 3 * 4], [2, 2, 5, 3, 3, 4]),
            options: new ConvOptions { PadMode = PadMode.Valid, Tile = [2, 2] }, name: "tiled");
        // LocallyConnected2D 1x1 on 10x10x5: 10x10x3 outputs x 5 = 300 * 5
        TensorRef local = b.LocallyConnected2D(tiled, b.Constant("w3", new float[10 * 10 * 3 * 5], [10, 10, 3, 1, 1, 5]), options: valid, name: "local");
        TensorRef relu = b.Node(OpCode.Relu, local); // 300 output elements
        TensorRef flat = b.Reshape(relu, [1, 300]); // a view: 300 output elements
        b.Output(b.Dense(flat, b.Constant("w4", new float[7 * 300], [7, 300]), name: "fc")); // 7 x 300

        using EcnnModel model = EcnnModel.Load(b.Build());
        Assert.Equal([216L * 18, 216 * 8, 500 * 36, 300 * 5, 300, 300, 7 * 300], MacCounter.PerNode(model));
        Assert.Equal(
            [true, true, true, true, false, false, true],
            model.Nodes.Select(n => MacCounter.IsWeighted(n.Op)).ToArray());
    }
}
