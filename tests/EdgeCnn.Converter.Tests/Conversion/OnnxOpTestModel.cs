using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Runtime.Graph;
using Google.Protobuf;

namespace EdgeCnn.Converter.Tests.Conversion;

/// <summary>
/// A small ONNX model written in code for op converter tests: float graph inputs, initializers, nodes and outputs, then
/// converted and run on the runtime with inputs and outputs in ONNX layout.
/// </summary>
internal sealed class OnnxOpTestModel
{
    private readonly GraphProto _graph = new() { Name = "test" };
    private readonly int _opset;

    public OnnxOpTestModel(int opset) => _opset = opset;

    public OnnxOpTestModel Input(string name, params long[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = 1, Shape = new TensorShapeProto() };
        foreach (long d in shape)
        {
            tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        _graph.Input.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } });
        return this;
    }

    public OnnxOpTestModel Output(string name)
    {
        _graph.Output.Add(new ValueInfoProto { Name = name });
        return this;
    }

    public OnnxOpTestModel Floats(string name, float[] values, params long[] shape)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(shape);
        t.FloatData.AddRange(values);
        _graph.Initializer.Add(t);
        return this;
    }

    public OnnxOpTestModel Longs(string name, long[] values, params long[] shape)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.AddRange(shape);
        t.Int64Data.AddRange(values);
        _graph.Initializer.Add(t);
        return this;
    }

    public OnnxOpTestModel Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = opType, Name = $"{opType.ToLowerInvariant()}{_graph.Node.Count}" };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        _graph.Node.Add(n);
        return this;
    }

    /// <summary>One node from input "x" to output "y".</summary>
    public OnnxOpTestModel Op(string opType, params AttributeProto[] attributes) => Node(opType, ["x"], ["y"], attributes);

    public ModelProto Build()
    {
        var model = new ModelProto { IrVersion = 8, Graph = _graph.Clone(), ProducerName = "edgecnn-tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = _opset });
        return model;
    }

    public ConversionResult Convert() => OnnxConverter.Convert(Build());

    /// <summary>Converts, runs once and returns output 0 and its shape.</summary>
    public (float[] Values, int[] Shape) Run(params float[][] inputs)
    {
        ConversionResult result = Convert();
        using InferenceSession session = InferenceSession.Load(result.Ecnn);
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].CopyTo(session.Input<float>(i));
        }

        session.Run();
        return (session.Output<float>(0).ToArray(), [.. session.Outputs[0].Shape]);
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto FloatList(string name, params float[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(values);
        return a;
    }

    /// <summary>0, 1, 2, ... scaled: distinct, deterministic test data.</summary>
    public static float[] Ramp(int count, float step = 1f, float start = 0f) =>
        Enumerable.Range(0, count).Select(i => start + i * step).ToArray();

    public static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1f, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
