using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Converter.Tests.Testing;

/// <summary>Builds tiny ONNX models with the protobuf classes and writes them as backend test case folders.</summary>
internal static class OnnxCaseWriter
{
    /// <summary>A model of one node (opType, inputs x0.., output y); float inputs of the given shape; dims &lt; 0 are symbolic.</summary>
    public static ModelProto SingleNode(string opType, int inputs, long[] shape, int opset = 13, string domain = "")
    {
        var graph = new GraphProto { Name = "g" };
        var node = new NodeProto { Name = "n0", OpType = opType, Domain = domain };
        for (int i = 0; i < inputs; i++)
        {
            graph.Input.Add(Value($"x{i}", shape));
            node.Input.Add($"x{i}");
        }

        node.Output.Add("y");
        graph.Node.Add(node);
        graph.Output.Add(Value("y", shape));
        return Model(graph, opset);
    }

    /// <summary>A model with no node whose output is its input (needs no op converter).</summary>
    public static ModelProto PassThrough(long[] shape, int opset = 13)
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(Value("x", shape));
        graph.Output.Add(Value("x", shape));
        return Model(graph, opset);
    }

    public static ModelProto Model(GraphProto graph, int opset)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "edgecnn-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    public static ValueInfoProto Value(string name, long[] shape, int elemType = 1)
    {
        var tensorShape = new TensorShapeProto();
        foreach (long d in shape)
        {
            tensorShape.Dim.Add(d >= 0 ? new TensorShapeProto.Types.Dimension { DimValue = d } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = tensorShape } },
        };
    }

    public static TensorProto Floats(float[] values, params long[] shape)
    {
        var t = new TensorProto { DataType = 1 };
        t.Dims.Add(shape);
        t.FloatData.Add(values);
        return t;
    }

    public static TensorProto Longs(long[] values, params long[] shape)
    {
        var t = new TensorProto { DataType = 7 };
        t.Dims.Add(shape);
        t.Int64Data.Add(values);
        return t;
    }

    /// <summary>Writes dir/model.onnx and dir/test_data_set_0/input_K.pb, output_K.pb; returns dir.</summary>
    public static string Write(string dir, ModelProto? model, TensorProto[] inputs, TensorProto[] outputs, int set = 0)
    {
        Directory.CreateDirectory(dir);
        if (model is not null)
        {
            File.WriteAllBytes(Path.Combine(dir, "model.onnx"), model.ToByteArray());
        }

        string data = Path.Combine(dir, $"test_data_set_{set}");
        Directory.CreateDirectory(data);
        for (int k = 0; k < inputs.Length; k++)
        {
            File.WriteAllBytes(Path.Combine(data, $"input_{k}.pb"), inputs[k].ToByteArray());
        }

        for (int k = 0; k < outputs.Length; k++)
        {
            File.WriteAllBytes(Path.Combine(data, $"output_{k}.pb"), outputs[k].ToByteArray());
        }

        return dir;
    }
}
