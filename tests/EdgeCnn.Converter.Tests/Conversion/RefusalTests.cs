using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Converter.Tests.Conversion;

/// <summary>Models the converter cannot take are refused with a message naming the node, op, domain and opset.</summary>
public class RefusalTests
{
    [Fact]
    public void Unknown_op_names_node_op_domain_opset_and_where_the_list_is()
    {
        var model = new OnnxOpTestModel(13).Input("x", 4).Output("y").Node("Gelu", ["x"], ["y"]).Build();
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(model));
        Assert.True(e.IsUnsupported);
        Assert.Contains("node 'gelu0' (Gelu, domain 'ai.onnx', opset 13)", e.Message, StringComparison.Ordinal);
        Assert.Contains("edgecnn-convert ops", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_domains_opsets_and_attribute_values_are_refused_by_name()
    {
        ModelProto custom = new OnnxOpTestModel(13).Input("x", 4).Output("y").Node("Relu", ["x"], ["y"]).Build();
        custom.Graph.Node[0].Domain = "com.microsoft";
        Assert.Contains("domain 'com.microsoft'", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(custom)).Message, StringComparison.Ordinal);

        ModelProto future = new OnnxOpTestModel(30).Input("x", 4).Output("y").Node("Relu", ["x"], ["y"]).Build();
        Assert.Contains("opset 30", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(future)).Message, StringComparison.Ordinal);

        ModelProto odd = new OnnxOpTestModel(13).Input("x", 4).Output("y").Node("Relu", ["x"], ["y"], OnnxOpTestModel.Int("frobnicate", 1)).Build();
        Assert.Contains("attribute 'frobnicate'", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(odd)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_and_an_attribute_of_the_wrong_type_are_malformed_models()
    {
        // a -> Relu -> b -> Relu -> a: the first node reads a value no earlier node produced.
        ModelProto cycle = new OnnxOpTestModel(13).Input("x", 4).Output("b")
            .Node("Add", ["x", "a"], ["b"]).Node("Relu", ["b"], ["a"]).Build();
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(cycle));
        Assert.False(e.IsUnsupported);
        Assert.Contains("input 'a' is not produced by any earlier node", e.Message, StringComparison.Ordinal);

        var wrongType = new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Ints };
        wrongType.Ints.Add(1);
        ModelProto odd = new OnnxOpTestModel(13).Input("x", 4).Output("y").Node("LeakyRelu", ["x"], ["y"], wrongType).Build();
        e = Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(odd));
        Assert.False(e.IsUnsupported);
        Assert.Contains("attribute 'alpha' is Ints; Float expected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_models_get_clear_errors()
    {
        byte[] bytes = new OnnxOpTestModel(13).Input("x", 4).Output("y").Node("Relu", ["x"], ["y"]).Build().ToByteArray();
        for (int cut = 1; cut < bytes.Length; cut += 7)
        {
            Exception? e = Record.Exception(() => OnnxConverter.Convert(OnnxModelFile.Parse(bytes[..cut], "cut.onnx")));
            Assert.True(e is null or OnnxImportException, $"cut at {cut}: {e?.GetType().Name}: {e?.Message}");
        }

        ModelProto dangling = new OnnxOpTestModel(13).Input("x", 4).Output("y").Node("Relu", ["nowhere"], ["y"]).Build();
        Assert.Contains("'nowhere' is not produced", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(dangling)).Message, StringComparison.Ordinal);

        ModelProto external = new OnnxOpTestModel(13).Input("x", 4).Output("y").Floats("w", [1f, 2f, 3f, 4f], 4).Node("Add", ["x", "w"], ["y"]).Build();
        external.Graph.Initializer[0].ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        Assert.Contains("external file", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(external)).Message, StringComparison.Ordinal);

        ModelProto wrongSize = new OnnxOpTestModel(13).Input("x", 4).Output("y").Floats("w", [1f, 2f, 3f], 4).Node("Add", ["x", "w"], ["y"]).Build();
        Assert.Contains("holds 3 values; its dims need 4", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(wrongSize)).Message, StringComparison.Ordinal);

        Assert.Throws<OnnxImportException>(() => OnnxModelFile.Parse([0xFF, 0xFF, 0xFF], "junk.onnx"));
    }
}
