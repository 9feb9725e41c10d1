using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Converter.Tests.Onnx;

public class OnnxTensorReaderTests
{
    private static TensorProto Raw(int type, byte[] bytes, params long[] dims)
    {
        var t = new TensorProto { Name = "t", DataType = type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }

    [Fact]
    public void Raw_little_endian_data_of_each_type_decodes()
    {
        Assert.Equal([1.5f, -2f], OnnxTensorReader.Read(Raw(1, [.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-2f)], 2), "f").AsFloats());
        Assert.Equal([0.25f], OnnxTensorReader.Read(Raw(11, BitConverter.GetBytes(0.25), 1), "d").AsFloats());
        Assert.Equal([1f], OnnxTensorReader.Read(Raw(10, [0x00, 0x3C], 1), "h").AsFloats()); // half 1.0 = 0x3C00
        Assert.Equal([-5L, long.MaxValue], OnnxTensorReader.Read(Raw(7, [.. BitConverter.GetBytes(-5L), .. BitConverter.GetBytes(long.MaxValue)], 2), "l").AsLongs());
        Assert.Equal([-1L, 127L], OnnxTensorReader.Read(Raw(3, [0xFF, 0x7F], 2), "i8").AsLongs());
        Assert.Equal([255L, 1L], OnnxTensorReader.Read(Raw(2, [0xFF, 0x01], 2), "u8").AsLongs());
    }

    [Fact]
    public void Typed_fields_decode_and_keep_their_shape()
    {
        var t = new TensorProto { Name = "t", DataType = 6 };
        t.Dims.AddRange([2, 1]);
        t.Int32Data.AddRange([7, -8]);
        ConstTensor c = OnnxTensorReader.Read(t, "i32");
        Assert.Equal([7L, -8L], c.AsLongs());
        Assert.Equal([2L, 1L], c.Shape);
    }

    [Fact]
    public void Sizes_that_disagree_with_the_dims_are_clear_errors()
    {
        Assert.Contains("raw_data holds 12 bytes; its dims need 16",
            Assert.Throws<OnnxImportException>(() => OnnxTensorReader.Read(Raw(1, new byte[12], 4), "w")).Message, StringComparison.Ordinal);
        var typed = new TensorProto { Name = "t", DataType = 1 };
        typed.Dims.Add(3);
        typed.FloatData.Add(1f);
        Assert.Contains("holds 1 values; its dims need 3", Assert.Throws<OnnxImportException>(() => OnnxTensorReader.Read(typed, "w")).Message, StringComparison.Ordinal);
        Assert.Contains("negative dimension", Assert.Throws<OnnxImportException>(() => OnnxTensorReader.Read(Raw(1, [], -1), "w")).Message, StringComparison.Ordinal);
        Assert.Contains("overflow", Assert.Throws<OnnxImportException>(() => OnnxTensorReader.Read(Raw(1, [], long.MaxValue, 4), "w")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_types_and_external_data_are_refused_as_unsupported()
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxTensorReader.Read(Raw(8, [], 0), "s"));
        Assert.True(e.IsUnsupported);
        Assert.Contains("String", e.Message, StringComparison.Ordinal);
        TensorProto external = Raw(1, [], 1);
        external.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "w.bin" });
        Assert.True(Assert.Throws<OnnxImportException>(() => OnnxTensorReader.Read(external, "w")).IsUnsupported);
    }
}
