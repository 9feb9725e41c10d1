using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Bench.OnnxRuntime.Tests;

/// <summary>Small ONNX models written in code (opset 13) and saved to a temporary file.</summary>
internal static class OnnxTestModels
{
    /// <summary>
    /// Inputs q int8[2,3] and u uint8[4]; outputs qf = DequantizeLinear(q, 0.5, -3), uf = DequantizeLinear(u, 0.5, 128)
    /// (float32) and q8 = QuantizeLinear(uf, 0.5, -3) (int8): exercises int8 and uint8 in and out.
    /// </summary>
    public static string QuantizeRoundTrip()
    {
        var g = new GraphProto { Name = "quantize_round_trip" };
        g.Input.Add(Value("q", 3, 2, 3));
        g.Input.Add(Value("u", 2, 4));
        g.Initializer.Add(new TensorProto { Name = "scale", DataType = 1, FloatData = { 0.5f } });
        g.Initializer.Add(new TensorProto { Name = "zq", DataType = 3, Int32Data = { -3 } });
        g.Initializer.Add(new TensorProto { Name = "zu", DataType = 2, Int32Data = { 128 } });
        g.Node.Add(Node("DequantizeLinear", ["q", "scale", "zq"], "qf"));
        g.Node.Add(Node("DequantizeLinear", ["u", "scale", "zu"], "uf"));
        g.Node.Add(Node("QuantizeLinear", ["uf", "scale", "zq"], "q8"));
        g.Output.Add(Value("qf", 1, 2, 3));
        g.Output.Add(Value("uf", 1, 4));
        g.Output.Add(Value("q8", 3, 4));
        return Save(g);
    }

    /// <summary>y = Relu(x) with x float32[N, 4] (N symbolic): an output whose shape is known only after a run.</summary>
    public static string DynamicRelu()
    {
        var g = new GraphProto { Name = "dynamic_relu" };
        var x = Value("x", 1, 0, 4);
        x.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "N" };
        g.Input.Add(x);
        g.Node.Add(Node("Relu", ["x"], "y"));
        var y = Value("y", 1, 0, 4);
        y.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "N" };
        g.Output.Add(y);
        return Save(g);
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var n = new NodeProto { OpType = op, Name = output + "_node" };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        return n;
    }

    private static ValueInfoProto Value(string name, int elementType, params long[] shape)
    {
        var t = new TypeProto.Types.Tensor { ElemType = elementType, Shape = new TensorShapeProto() };
        foreach (long d in shape)
        {
            t.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = t } };
    }

    private static string Save(GraphProto g)
    {
        var model = new ModelProto { IrVersion = 8, Graph = g, ProducerName = "edgecnn-tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        string path = Path.Combine(Path.GetTempPath(), $"edgecnn-ort-{g.Name}-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }
}
