using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Tests.Format;

/// <summary>Each verification rule of FORMAT.md, broken on purpose, is reported by name and offset.</summary>
public class ReaderRuleTests
{
    private static EcnnFormatException Rejects(byte[] bytes, string rule)
    {
        EcnnFormatException e = Assert.Throws<EcnnFormatException>(() => EcnnModel.Load(bytes).Dispose());
        Assert.True(string.Equals(e.Rule, rule, StringComparison.Ordinal), $"expected rule {rule}, got {e.Rule}: {e.Message}");
        Assert.Contains($"byte {e.Offset}", e.Message, StringComparison.Ordinal);
        return e;
    }

    private static FileEditor Fp32() => new(GoldenModels.Float32Chain());

    [Fact]
    public void Wrong_magic()
    {
        FileEditor f = Fp32();
        f.Bytes[0] = (byte)'X';
        Rejects(f.Sealed(), "header.magic");
    }

    [Fact]
    public void Unknown_major_version()
    {
        FileEditor f = Fp32();
        f.WriteUInt16(4, 2);
        EcnnFormatException e = Rejects(f.Sealed(), "header.version");
        Assert.Equal(4, e.Offset);
    }

    [Fact]
    public void Newer_minor_version_is_read()
    {
        FileEditor f = Fp32();
        f.WriteUInt16(6, 7);
        using EcnnModel m = EcnnModel.Load(f.Sealed());
        Assert.Equal(7, m.VersionMinor);
    }

    [Fact]
    public void Digest_mismatch()
    {
        FileEditor f = Fp32();
        f.Bytes[^1] ^= 1;
        EcnnFormatException e = Rejects(f.Bytes, "digest");
        Assert.Equal(FormatLayout.DigestOffset, e.Offset);
    }

    [Fact]
    public void Section_outside_the_file()
    {
        FileEditor f = Fp32();
        f.WriteUInt64(f.SectionEntryOffset(SectionKind.Nodes) + 8, (ulong)f.Bytes.Length + 64);
        Rejects(f.Sealed(), "section.bounds");
    }

    [Fact]
    public void Section_offset_plus_size_that_wraps()
    {
        FileEditor f = Fp32();
        long entry = f.SectionEntryOffset(SectionKind.Strings);
        f.WriteUInt64(entry + 16, ulong.MaxValue - 7); // offset + bytes overflows 64 bits
        Rejects(f.Sealed(), "section.bounds");
    }

    [Fact]
    public void Section_table_outside_the_file()
    {
        FileEditor f = Fp32();
        f.WriteUInt64(24, ulong.MaxValue - 8);
        Rejects(f.Sealed(), "header.section-table");
    }

    [Fact]
    public void Negative_dim()
    {
        FileEditor f = Fp32();
        f.WriteInt32(f.TensorOffset(0) + 16, -3);
        EcnnFormatException e = Rejects(f.Sealed(), "tensor.dims");
        Assert.Equal(f.TensorOffset(0) + 16, e.Offset);
    }

    [Fact]
    public void Shape_product_that_overflows()
    {
        FileEditor f = Fp32();
        long t = f.TensorOffset(0);
        f.Bytes[t + 9] = 6; // rank 6
        for (int d = 0; d < 6; d++)
        {
            f.WriteInt32(t + 16 + (4 * d), int.MaxValue);
        }

        Rejects(f.Sealed(), "tensor.elements");
    }

    [Fact]
    public void Tensor_data_offset_plus_size_that_wraps()
    {
        FileEditor f = Fp32();
        long w = f.TensorOffset(1); // the constant "w"
        f.WriteUInt64(w + 48, ulong.MaxValue - 63);
        Rejects(f.Sealed(), "tensor.data");
    }

    [Fact]
    public void Unknown_data_type()
    {
        FileEditor f = Fp32();
        f.Bytes[f.TensorOffset(0) + 8] = 99;
        Rejects(f.Sealed(), "tensor.dtype");
    }

    [Fact]
    public void Zero_or_nan_quantization_scale()
    {
        var f = new FileEditor(GoldenModels.Int8Chain());
        long quant = (long)f.Section(SectionKind.Quant).Offset;
        f.WriteInt32(quant, 0);
        Rejects(f.Sealed(), "tensor.quant");
        f = new FileEditor(GoldenModels.Int8Chain());
        f.WriteInt32(quant, BitConverter.SingleToInt32Bits(float.NaN));
        Rejects(f.Sealed(), "tensor.quant");
    }

    [Fact]
    public void Unknown_op_code()
    {
        FileEditor f = Fp32();
        f.WriteUInt16(f.NodeOffset(0), 999);
        Rejects(f.Sealed(), "node.op");
    }

    [Fact]
    public void Node_tensor_index_out_of_range()
    {
        FileEditor f = Fp32();
        f.WriteInt32(f.NodeIoOffset, 1000); // first input of node 0
        Rejects(f.Sealed(), "node.input");
        f = Fp32();
        f.WriteInt32(f.NodeIoOffset + 4, -7); // first output of node 0
        Rejects(f.Sealed(), "node.output");
    }

    [Fact]
    public void Node_io_list_outside_the_section()
    {
        FileEditor f = Fp32();
        f.WriteInt32(f.NodeOffset(0) + 12, int.MaxValue);
        Rejects(f.Sealed(), "node.io");
    }

    [Fact]
    public void Graph_input_index_out_of_range()
    {
        FileEditor f = Fp32();
        f.WriteInt32(f.GraphIoOffset + 8, 77);
        Rejects(f.Sealed(), "graph.input");
    }

    [Fact]
    public void Tensor_used_before_it_is_produced()
    {
        // node 0 reads t2, which node 1 produces from the graph input: an order error, not a cycle.
        ModelDefinition m = Chain();
        m.Nodes.Add(new NodeDesc(OpCode.Relu, "late", [1], [2], []));
        m.Nodes.Insert(0, m.Nodes[^1]);
        m.Nodes.RemoveAt(m.Nodes.Count - 1);
        Rejects(ModelWriter.Write(m), "graph.order");
    }

    [Fact]
    public void Tensor_produced_twice()
    {
        ModelDefinition m = Chain();
        m.Nodes.Add(new NodeDesc(OpCode.Relu, "again", [0], [1], []));
        Rejects(ModelWriter.Write(m), "graph.produced-twice");
    }

    [Fact]
    public void Cycle()
    {
        var m = new ModelDefinition();
        int x = m.AddTensor(new TensorDesc("x", DataType.Float32, [4]));
        int a = m.AddTensor(new TensorDesc("a", DataType.Float32, [4]));
        int b = m.AddTensor(new TensorDesc("b", DataType.Float32, [4]));
        m.Inputs.Add(x);
        m.Outputs.Add(b);
        m.Nodes.Add(new NodeDesc(OpCode.Add, "n0", [x, b], [a], []));
        m.Nodes.Add(new NodeDesc(OpCode.Relu, "n1", [a], [b], []));
        Rejects(ModelWriter.Write(m), "graph.cycle");
    }

    [Fact]
    public void Output_that_nothing_produces()
    {
        ModelDefinition m = Chain();
        m.Outputs[0] = m.AddTensor(new TensorDesc("orphan", DataType.Float32, [4]));
        Rejects(ModelWriter.Write(m), "graph.output");
    }

    [Fact]
    public void Attribute_the_op_does_not_take()
    {
        ModelDefinition m = Chain();
        m.Nodes[0] = new NodeDesc(OpCode.Relu, "r", [0], [1], [NodeAttribute.Int(AttributeKey.Group, 2)]);
        Rejects(ModelWriter.Write(m), "node.attribute");
    }

    [Fact]
    public void Attribute_of_the_wrong_type()
    {
        ModelDefinition m = Chain();
        m.Nodes[0] = new NodeDesc(OpCode.LeakyRelu, "r", [0], [1], [NodeAttribute.FloatList(AttributeKey.Alpha, [0.1f, 0.2f])]);
        Rejects(ModelWriter.Write(m), "node.attribute");
    }

    [Fact]
    public void Declared_output_shape_that_disagrees_with_inference()
    {
        var m = new ModelDefinition();
        int x = m.AddTensor(new TensorDesc("x", DataType.Float32, [4]));
        int y = m.AddTensor(new TensorDesc("y", DataType.Float32, [5]));
        m.Inputs.Add(x);
        m.Outputs.Add(y);
        m.Nodes.Add(new NodeDesc(OpCode.Relu, "r", [x], [y], []));
        Rejects(ModelWriter.Write(m), "node.params");
    }

    [Theory]
    [InlineData(AttributeKey.Strides, 0)]
    [InlineData(AttributeKey.Dilations, 0)]
    public void Conv_params_that_would_divide_by_zero(AttributeKey key, int value)
    {
        ModelDefinition m = ConvModel([NodeAttribute.IntList(key, [value, 1])]);
        Rejects(ModelWriter.Write(m), "node.params");
    }

    [Fact]
    public void Conv_group_zero()
    {
        ModelDefinition m = ConvModel([NodeAttribute.Int(AttributeKey.Group, 0)]);
        Rejects(ModelWriter.Write(m), "node.params");
    }

    [Fact]
    public void Pool_stride_zero()
    {
        var m = new ModelDefinition();
        int x = m.AddTensor(new TensorDesc("x", DataType.Float32, [1, 4, 4, 2]));
        int y = m.AddTensor(new TensorDesc("y", DataType.Float32, [1, 2, 2, 2]));
        m.Inputs.Add(x);
        m.Outputs.Add(y);
        m.Nodes.Add(new NodeDesc(OpCode.MaxPool, "p", [x], [y],
            [NodeAttribute.IntList(AttributeKey.KernelShape, [2, 2]), NodeAttribute.IntList(AttributeKey.Strides, [0, 2])]));
        Rejects(ModelWriter.Write(m), "node.params");
    }

    [Fact]
    public void Invalid_utf8_name()
    {
        FileEditor f = Fp32();
        f.Bytes[(long)f.Section(SectionKind.Strings).Offset] = 0xFF;
        Rejects(f.Sealed(), "tensor.name");
    }

    private static ModelDefinition Chain()
    {
        var m = new ModelDefinition();
        int x = m.AddTensor(new TensorDesc("x", DataType.Float32, [4]));
        int y = m.AddTensor(new TensorDesc("y", DataType.Float32, [4]));
        m.AddTensor(new TensorDesc("z", DataType.Float32, [4]));
        m.Inputs.Add(x);
        m.Outputs.Add(y);
        m.Nodes.Add(new NodeDesc(OpCode.Relu, "r", [x], [y], []));
        return m;
    }

    private static ModelDefinition ConvModel(NodeAttribute[] attributes)
    {
        var m = new ModelDefinition();
        int x = m.AddTensor(new TensorDesc("x", DataType.Float32, [1, 4, 4, 2]));
        int w = m.AddTensor(new TensorDesc("w", DataType.Float32, [3, 1, 1, 2]), new byte[3 * 2 * 4]);
        int y = m.AddTensor(new TensorDesc("y", DataType.Float32, [1, 4, 4, 3]));
        m.Inputs.Add(x);
        m.Outputs.Add(y);
        m.Nodes.Add(new NodeDesc(OpCode.Conv, "c", [x, w], [y], attributes));
        return m;
    }
}
