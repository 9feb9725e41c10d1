using EdgeCnn.Bench.OnnxRuntime.Native;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Bench.OnnxRuntime.Tests;

/// <summary>
/// ONNX Runtime through the hand-bound C API, fetched from npm on first use: it must load, report its version, agree with
/// EdgeCnn's converted model and with PyTorch, move int8 and uint8 tensors, and refuse bad input with clear messages.
/// </summary>
public class OrtSessionTests
{
    [Fact]
    public void Library_from_npm_loads_and_reports_its_version()
    {
        OnnxRuntimeLibrary ort = OnnxRuntimeLibrary.Load();
        Assert.Equal(OnnxRuntimePackage.Version, ort.VersionString);
        Assert.True(File.Exists(ort.Path), ort.Path);
        Assert.Same(ort, OnnxRuntimeLibrary.Load());
    }

    [Fact]
    public void Fashion_mnist_model_describes_its_input_and_output()
    {
        using OrtSession s = OrtSession.Open(TestPaths.FashionModel);
        OrtTensorInfo input = Assert.Single(s.Inputs);
        OrtTensorInfo output = Assert.Single(s.Outputs);
        Assert.Equal(OrtElementType.Float32, input.ElementType);
        Assert.Equal(OrtElementType.Float32, output.ElementType);
        Assert.Equal(4, input.Shape.Count);
        Assert.Equal([1L, 28, 28], input.Shape.Skip(1));
        Assert.Equal(10L, output.Shape[^1]);
    }

    [Fact]
    public void Fashion_mnist_outputs_match_the_converted_ecnn_and_pytorch_within_1e_4()
    {
        using OrtSession ort = OrtSession.Open(TestPaths.FashionModel);
        ConversionResult converted = OnnxConverter.Convert(TestPaths.FashionModel);
        using InferenceSession edge = InferenceSession.Load(converted.Ecnn);
        string inputName = ort.Inputs[0].Name;
        long[] shape = [1, 1, 28, 28];

        double maxVsEdge = 0, maxVsTorch = 0;
        int sets = 0;
        foreach (string dir in Directory.EnumerateDirectories(TestPaths.FashionCase, "test_data_set_*"))
        {
            float[] image = ReadFloats(Path.Combine(dir, "input_0.pb"));
            float[] torch = ReadFloats(Path.Combine(dir, "output_0.pb"));
            float[] fromOrt = ort.Run(OrtTensor.Create(inputName, image, shape))[0].As<float>();
            image.CopyTo(edge.Input<float>(0));
            edge.Run();
            maxVsEdge = Math.Max(maxVsEdge, MaxAbsDiff(fromOrt, edge.Output<float>(0)));
            maxVsTorch = Math.Max(maxVsTorch, MaxAbsDiff(fromOrt, torch));
            sets++;
        }

        // Inputs the model never saw: uniform noise from a fixed seed.
        var random = new Random(5);
        for (int k = 0; k < 5; k++)
        {
            float[] noise = new float[28 * 28];
            for (int i = 0; i < noise.Length; i++)
            {
                noise[i] = random.NextSingle();
            }

            float[] fromOrt = ort.Run(OrtTensor.Create(inputName, noise, shape))[0].As<float>();
            noise.CopyTo(edge.Input<float>(0));
            edge.Run();
            maxVsEdge = Math.Max(maxVsEdge, MaxAbsDiff(fromOrt, edge.Output<float>(0)));
        }

        Assert.Equal(100, sets);
        Assert.True(maxVsEdge <= 1e-4, $"ONNX Runtime vs EdgeCnn: max abs diff {maxVsEdge}");
        Assert.True(maxVsTorch <= 1e-4, $"ONNX Runtime vs PyTorch: max abs diff {maxVsTorch}");
    }

    [Fact]
    public void Bound_run_gives_the_same_outputs_as_run_and_allocates_nothing()
    {
        using OrtSession s = OrtSession.Open(TestPaths.FashionModel);
        float[] image = ReadFloats(Path.Combine(TestPaths.FashionCase, "test_data_set_3", "input_0.pb"));
        OrtTensor input = OrtTensor.Create(s.Inputs[0].Name, image, 1, 1, 28, 28);
        float[] expected = s.Run(input)[0].As<float>();

        using OrtBoundRun bound = s.Bind(input);
        bound.Run();
        Assert.Equal(expected, bound.Output<float>(0).ToArray());

        bound.Run(); // warm
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            bound.Run();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} managed bytes allocated over 50 bound runs");

        // The input is live: a changed input changes the output, and the bound output follows Run's.
        bound.Input<float>(0).Clear();
        bound.Run();
        float[] zeros = s.Run(OrtTensor.Create(s.Inputs[0].Name, new float[28 * 28], 1, 1, 28, 28))[0].As<float>();
        Assert.Equal(zeros, bound.Output<float>(0).ToArray());
        Assert.NotEqual(expected, zeros);
    }

    [Fact]
    public void Int8_and_uint8_tensors_go_in_and_come_out_exactly()
    {
        string model = OnnxTestModels.QuantizeRoundTrip();
        try
        {
            using OrtSession s = OrtSession.Open(model);
            Assert.Equal([OrtElementType.Int8, OrtElementType.UInt8], s.Inputs.Select(i => i.ElementType!.Value));
            sbyte[] q = [-128, -3, 0, 5, 100, 127];
            byte[] u = [0, 1, 128, 255];
            OrtTensor[] outputs = s.Run(OrtTensor.Create("u", u, 4), OrtTensor.Create("q", q, 2, 3));

            Assert.Equal(["qf", "uf", "q8"], outputs.Select(o => o.Name).ToArray());
            Assert.Equal(q.Select(v => (v + 3) * 0.5f), outputs[0].As<float>());
            Assert.Equal([2L, 3], outputs[0].Shape);
            Assert.Equal(u.Select(v => (v - 128) * 0.5f), outputs[1].As<float>());
            Assert.Equal(u.Select(v => (sbyte)Math.Clamp(v - 128 - 3, -128, 127)), outputs[2].As<sbyte>());
            Assert.Equal(OrtElementType.Int8, outputs[2].ElementType);

            using OrtBoundRun bound = s.Bind(OrtTensor.Create("q", q, 2, 3), OrtTensor.Create("u", u, 4));
            bound.Run();
            Assert.Equal(outputs[2].As<sbyte>(), bound.Output<sbyte>(2).ToArray());
            Assert.Throws<InvalidOperationException>(() => bound.Output<float>(2).Length);
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Fact]
    public void Symbolic_dimensions_accept_any_size_and_bind_after_one_run()
    {
        string model = OnnxTestModels.DynamicRelu();
        try
        {
            using OrtSession s = OrtSession.Open(model);
            Assert.Equal([-1L, 4], s.Inputs[0].Shape);
            Assert.False(s.Outputs[0].IsStatic);
            float[] x = [-1, 2, -3, 4, 5, -6, 7, -8, 0, 1, -1, 3];
            OrtTensor y = s.Run(OrtTensor.Create("x", x, 3, 4))[0];
            Assert.Equal([3L, 4], y.Shape);
            Assert.Equal(x.Select(v => Math.Max(v, 0f)), y.As<float>());

            using OrtBoundRun bound = s.Bind(OrtTensor.Create("x", x[..8], 2, 4));
            Assert.Equal([2L, 4], bound.OutputShape(0));
            bound.Run();
            Assert.Equal(x[..8].Select(v => Math.Max(v, 0f)), bound.Output<float>(0).ToArray());
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Fact]
    public void A_missing_model_file_is_named()
    {
        string path = Path.Combine(Path.GetTempPath(), "edgecnn-no-such-model.onnx");
        var e = Assert.Throws<FileNotFoundException>(() => OrtSession.Open(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_onnx_gets_onnx_runtimes_reason_and_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgecnn-garbage-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0xff, 0xfe, 0x01, 0x02, 0x03, 0x99, 0x42]);
        try
        {
            var e = Assert.Throws<OnnxRuntimeException>(() => OrtSession.Open(path));
            Assert.NotEqual(OrtErrorCode.Ok, e.Code);
            Assert.Contains("CreateSession(" + path + ")", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Wrong_inputs_are_refused_with_what_the_model_expects()
    {
        using OrtSession s = OrtSession.Open(TestPaths.FashionModel);
        string name = s.Inputs[0].Name;
        float[] image = new float[28 * 28];

        var unknown = Assert.Throws<OnnxRuntimeException>(() => s.Run(OrtTensor.Create("pixels", image, 1, 1, 28, 28)));
        Assert.Contains("no input 'pixels'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains(name, unknown.Message, StringComparison.Ordinal);

        var shape = Assert.Throws<OnnxRuntimeException>(() => s.Run(OrtTensor.Create(name, image, 1, 28, 28, 1)));
        Assert.Contains("[1,28,28,1] was given", shape.Message, StringComparison.Ordinal);

        var type = Assert.Throws<OnnxRuntimeException>(() => s.Run(OrtTensor.Create(name, new sbyte[28 * 28], 1, 1, 28, 28)));
        Assert.Contains("is float32, but int8 was given", type.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<OnnxRuntimeException>(() => s.Run());
        Assert.Contains($"input '{name}' is missing", missing.Message, StringComparison.Ordinal);

        var twice = Assert.Throws<OnnxRuntimeException>(() => s.Bind(OrtTensor.Create(name, image, 1, 1, 28, 28), OrtTensor.Create(name, image, 1, 1, 28, 28)));
        Assert.Contains("given twice", twice.Message, StringComparison.Ordinal);

        var count = Assert.Throws<ArgumentException>(() => OrtTensor.Create(name, image, 1, 1, 28, 27));
        Assert.Contains("holds 756 elements but 784 were given", count.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Intra_op_threads_below_one_are_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OrtSession.Open(TestPaths.FashionModel, new OrtSessionSettings { IntraOpThreads = 0 }));
        Assert.Contains("IntraOpThreads", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_reach_onnx_runtime_and_its_refusals_name_the_call()
    {
        var twoThreads = new OrtSessionSettings
        {
            IntraOpThreads = 2,
            Optimization = OrtGraphOptimization.Basic,
            ConfigEntries = new Dictionary<string, string>(StringComparer.Ordinal) { ["session.intra_op.allow_spinning"] = "0" },
        };
        using (OrtSession s = OrtSession.Open(TestPaths.FashionModel, twoThreads))
        {
            Assert.Same(twoThreads, s.Settings);
            Assert.Single(s.Run(OrtTensor.Create(s.Inputs[0].Name, new float[28 * 28], 1, 1, 28, 28)));
        }

        var bad = new OrtSessionSettings { Optimization = (OrtGraphOptimization)42 };
        var e = Assert.Throws<OnnxRuntimeException>(() => OrtSession.Open(TestPaths.FashionModel, bad).Dispose());
        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("SetSessionGraphOptimizationLevel(42)", e.Message, StringComparison.Ordinal);
    }

    private static float[] ReadFloats(string pb) =>
        OnnxTensorReader.Read(TensorProto.Parser.ParseFrom(File.ReadAllBytes(pb)), pb).AsFloats();

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }
}
