using EdgeCnn.Converter.Conversion;
using EdgeCnn.Runtime.Graph;
using static EdgeCnn.Converter.Tests.Conversion.OnnxOpTestModel;

namespace EdgeCnn.Converter.Tests.Conversion;

public class SplitConversionTests
{
    [Fact]
    public void Split_of_channels_after_a_conv_stays_channels_last_and_keeps_each_part()
    {
        // x [1, 3, 2, 2] -> identity 1x1 conv -> split channels [1, 2] (opset 13: sizes as an input)
        float[] x = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        float[] eye = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        var model = new OnnxOpTestModel(13).Input("x", 1, 3, 2, 2).Output("a").Output("b")
            .Floats("w", eye, 3, 3, 1, 1)
            .Node("Conv", ["x", "w"], ["c"])
            .Node("Split", ["c", "sizes"], ["a", "b"], Int("axis", 1))
            .Build();
        var sizes = new EdgeCnn.Converter.Onnx.Proto.TensorProto { Name = "sizes", DataType = 7 };
        sizes.Dims.Add(2);
        sizes.Int64Data.AddRange([1, 2]);
        model.Graph.Initializer.Add(sizes);
        ConversionResult r = OnnxConverter.Convert(model);
        using InferenceSession s = InferenceSession.Load(r.Ecnn);
        x.CopyTo(s.Input<float>(0));
        s.Run();
        Assert.Equal(x[..4], s.Output<float>(0).ToArray());
        Assert.Equal(x[4..], s.Output<float>(1).ToArray());
        Assert.Equal(3, r.LayoutTransposes); // into channels-last once, back once per output
    }

    [Fact]
    public void Split_into_equal_parts_by_attribute_before_opset_13()
    {
        var model = new OnnxOpTestModel(11).Input("x", 6).Output("a").Output("b").Output("c")
            .Node("Split", ["x"], ["a", "b", "c"]).Build();
        using InferenceSession s = InferenceSession.Load(OnnxConverter.Convert(model).Ecnn);
        float[] x = [1, 2, 3, 4, 5, 6];
        x.CopyTo(s.Input<float>(0));
        s.Run();
        Assert.Equal([1f, 2f], s.Output<float>(0).ToArray());
        Assert.Equal([3f, 4f], s.Output<float>(1).ToArray());
        Assert.Equal([5f, 6f], s.Output<float>(2).ToArray());
    }
}
