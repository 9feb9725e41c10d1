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
        var model = new OnnxTestGraph(13).Input("x", 4).Output("y").Node("Gelu", ["x"], ["y"]).Model();
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(model));
        Assert.True(e.IsUnsupported);
        Assert.Contains("node 'y_node' (Gelu, domain 'ai.onnx', opset 13)", e.Message, StringComparison.Ordinal);
        Assert.Contains("edgecnn-convert ops", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_domains_opsets_and_attribute_values_are_refused_by_name()
    {
        ModelProto custom = new OnnxTestGraph().Input("x", 4).Output("y").Node("Relu", ["x"], ["y"]).Model();
        custom.Graph.Node[0].Domain = "com.microsoft";
        Assert.Contains("domain 'com.microsoft'", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(custom)).Message, StringComparison.Ordinal);

        ModelProto future = new OnnxTestGraph(30).Input("x", 4).Output("y").Node("Relu", ["x"], ["y"]).Model();
        Assert.Contains("opset 30", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(future)).Message, StringComparison.Ordinal);

        ModelProto odd = new OnnxTestGraph().Input("x", 4).Output("y").Node("Relu", ["x"], ["y"], OnnxTestGraph.Int("frobnicate", 1)).Model();
        Assert.Contains("attribute 'frobnicate'", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(odd)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_models_get_clear_errors()
    {
        byte[] bytes = new OnnxTestGraph().Input("x", 4).Output("y").Node("Relu", ["x"], ["y"]).Model().ToByteArray();
        for (int cut = 1; cut < bytes.Length; cut += 7)
        {
            Exception? e = Record.Exception(() => OnnxConverter.Convert(OnnxModelFile.Parse(bytes[..cut], "cut.onnx")));
            Assert.True(e is null or OnnxImportException, $"cut at {cut}: {e?.GetType().Name}: {e?.Message}");
        }

        ModelProto dangling = new OnnxTestGraph().Input("x", 4).Output("y").Node("Relu", ["nowhere"], ["y"]).Model();
        Assert.Contains("'nowhere' is not produced", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(dangling)).Message, StringComparison.Ordinal);

        ModelProto external = new OnnxTestGraph().Input("x", 4).Output("y").Initializer("w", [1f, 2f, 3f, 4f], 4).Node("Add", ["x", "w"], ["y"]).Model();
        external.Graph.Initializer[0].ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        Assert.Contains("external file", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(external)).Message, StringComparison.Ordinal);

        ModelProto wrongSize = new OnnxTestGraph().Input("x", 4).Output("y").Initializer("w", [1f, 2f, 3f], 4).Node("Add", ["x", "w"], ["y"]).Model();
        Assert.Contains("raw_data holds 12 bytes", Assert.Throws<OnnxImportException>(() => OnnxConverter.Convert(wrongSize)).Message, StringComparison.Ordinal);

        Assert.Throws<OnnxImportException>(() => OnnxModelFile.Parse([0xFF, 0xFF, 0xFF], "junk.onnx"));
    }
}
