using System.Text;
using System.Text.Json;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Runtime.Graph;
using Google.Protobuf;
using static EdgeCnn.Converter.Tests.Testing.OnnxCaseWriter;

namespace EdgeCnn.Converter.Cli.Tests;

/// <summary>`convert --int8`: calibration from .npy and images, the report files, --emit-qdq, --eval DIR, and refusals.</summary>
public sealed class ConvertInt8CommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-cli-int8").FullName;

    [Fact]
    public void Int8_from_npy_writes_the_model_the_json_and_html_reports_and_a_qdq_model()
    {
        string onnx = SaveCnn();
        string npy = WriteNpy("calib.npy", 12, 3 * 8 * 8, seed: 1);
        string ecnn = P("cnn.ecnn"), json = P("r.json"), html = P("r.html"), qdq = P("cnn.qdq.onnx");
        (int exit, string text, string err) = CliAppTests.Run("convert", onnx, "-o", ecnn, "--int8", "--calibration", npy, "--measure-samples", "4",
            "--report", json, "--report", html, "--emit-qdq", qdq, "--threads", "1");
        Assert.True(exit == 0, err + text);
        Assert.Contains("int8 (minmax, 12 calibration samples)", text, StringComparison.Ordinal);
        Assert.Contains("output y: SQNR", text, StringComparison.Ordinal);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("top1_fp32").ValueKind);
        Assert.Equal(new FileInfo(onnx).Length, root.GetProperty("onnx_bytes").GetInt64());
        Assert.Equal(new FileInfo(ecnn).Length, root.GetProperty("ecnn_bytes").GetInt64());
        JsonElement conv = root.GetProperty("layers").EnumerateArray().First(l => string.Equals(l.GetProperty("op").GetString(), "Conv", StringComparison.Ordinal));
        Assert.Equal("int8", conv.GetProperty("precision").GetString());
        Assert.InRange(conv.GetProperty("sqnr_db").GetDouble(), 20, 200);
        Assert.InRange(conv.GetProperty("cosine").GetDouble(), 0.99, 1.0000001);

        string page = File.ReadAllText(html);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://www.w3.org/2000/svg\" href", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"https?://", page);

        ModelProto exported = ModelProto.Parser.ParseFrom(File.ReadAllBytes(qdq));
        Assert.Contains(exported.Graph.Node, n => string.Equals(n.OpType, "QuantizeLinear", StringComparison.Ordinal));
        using InferenceSession s = InferenceSession.Load(ecnn);
        Assert.Contains(s.Model.Nodes, n => n.Op == OpCode.Conv && s.Model.Tensors[n.Outputs[0]].Type == DataType.Int8);
    }

    [Fact]
    public void Int8_from_an_image_folder_with_eval_by_class_folder_prints_top1_both_ways()
    {
        string onnx = SaveCnn();
        string images = Directory.CreateDirectory(P("images")).FullName;
        var rng = new Random(4);
        foreach (string cls in new[] { "a", "b", "c" })
        {
            Directory.CreateDirectory(Path.Combine(images, cls));
            for (int i = 0; i < 3; i++)
            {
                WritePpm(Path.Combine(images, cls, $"{i}.ppm"), 16, 16, rng);
            }
        }

        (int exit, string text, string err) = CliAppTests.Run("convert", onnx, "-o", P("img.ecnn"), "--int8", "--calibration", images,
            "--preprocess", """{"scale":0.00392157,"resize":"area"}""", "--metadata", "labels=a,b,c", "--eval", images, "--measure-samples", "2", "--threads", "2");
        Assert.True(exit == 0, err + text);
        Assert.Contains("calibrating on 9 of 9 images in", text, StringComparison.Ordinal);
        Assert.Matches(@"top-1 on 9 images of images: fp32 \d+\.\d\d%, int8 \d+\.\d\d%", text);
        using InferenceSession s = InferenceSession.Load(P("img.ecnn"));
        Assert.Contains("\"resize\":\"area\"", s.Model.GetMetadata("preprocess"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--calibration-method", "kl2", "--calibration-method 'kl2': expected minmax, percentile, entropy or mse")]
    [InlineData("--percentile", "20", "--percentile 20: expected a value in (50, 100]")]
    [InlineData("--calibration-samples", "0", "--calibration-samples must be at least 1")]
    public void Bad_int8_options_are_bad_usage(string option, string value, string message)
    {
        (int exit, _, string err) = CliAppTests.Run("convert", "m.onnx", "-o", "m.ecnn", "--int8", "--calibration", "x.npy", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Int8_options_need_int8_and_int8_needs_calibration()
    {
        (int exit, _, string err) = CliAppTests.Run("convert", "m.onnx", "-o", "m.ecnn", "--int8");
        Assert.Equal(2, exit);
        Assert.Contains("--int8 needs --calibration SRC", err, StringComparison.Ordinal);
        (exit, _, err) = CliAppTests.Run("convert", "m.onnx", "-o", "m.ecnn", "--keep-float", "auto");
        Assert.Equal(2, exit);
        Assert.Contains("--keep-float applies only with --int8", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_npy_file_and_an_unknown_layer_are_named()
    {
        string onnx = SaveCnn();
        File.WriteAllBytes(P("bad.npy"), Encoding.ASCII.GetBytes("not numpy at all"));
        (int exit, _, string err) = CliAppTests.Run("convert", onnx, "-o", P("x.ecnn"), "--int8", "--calibration", P("bad.npy"));
        Assert.Equal(3, exit);
        Assert.Contains("bad.npy: not a .npy file (no \\x93NUMPY magic at offset 0)", err, StringComparison.Ordinal);

        string npy = WriteNpy("ok.npy", 2, 192, seed: 2);
        (exit, _, err) = CliAppTests.Run("convert", onnx, "-o", P("x.ecnn"), "--int8", "--calibration", npy, "--keep-float", "conv9");
        Assert.Equal(3, exit);
        Assert.Contains("--keep-float: no layer is named 'conv9'; the layers are:", err, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>x [1, 3, 8, 8] -> Conv 4x3x3x3 pad 1 -> Relu -> GlobalAveragePool -> Flatten -> Gemm [4, 3] -> y [1, 3].</summary>
    private string SaveCnn()
    {
        var rng = new Random(3);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var g = new GraphProto { Name = "cnn" };
        g.Input.Add(Value("x", [1, 3, 8, 8]));
        g.Output.Add(Value("y", [1, 3]));
        TensorProto w = Floats(R(108), 4, 3, 3, 3), b = Floats(R(4), 4), gw = Floats(R(12), 4, 3), gb = Floats(R(3), 3);
        (w.Name, b.Name, gw.Name, gb.Name) = ("w", "b", "gw", "gb");
        g.Initializer.Add([w, b, gw, gb]);
        var conv = new NodeProto { OpType = "Conv", Name = "conv" };
        conv.Input.Add(["x", "w", "b"]);
        conv.Output.Add("c");
        var pads = new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints };
        pads.Ints.Add([1, 1, 1, 1]);
        conv.Attribute.Add(pads);
        g.Node.Add(conv);
        g.Node.Add(Node("Relu", ["c"], "r"));
        g.Node.Add(Node("GlobalAveragePool", ["r"], "p"));
        g.Node.Add(Node("Flatten", ["p"], "f"));
        g.Node.Add(Node("Gemm", ["f", "gw", "gb"], "y"));
        string path = P("cnn.onnx");
        File.WriteAllBytes(path, Model(g, 13).ToByteArray());
        return path;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var n = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        n.Input.Add(inputs);
        n.Output.Add(output);
        return n;
    }

    /// <summary>A version-1 .npy of float32 [count, size] with values in [-1, 1).</summary>
    private string WriteNpy(string name, int count, int size, int seed)
    {
        var rng = new Random(seed);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({count}, {size}), }}";
        header = header.PadRight(((header.Length + 11) / 64 * 64) + 63 - 10) + "\n";
        using var s = new MemoryStream();
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        s.Write(BitConverter.GetBytes((ushort)header.Length));
        s.Write(Encoding.Latin1.GetBytes(header));
        for (int i = 0; i < count * size; i++)
        {
            s.Write(BitConverter.GetBytes((float)((rng.NextDouble() * 2) - 1)));
        }

        File.WriteAllBytes(P(name), s.ToArray());
        return P(name);
    }

    private static void WritePpm(string path, int w, int h, Random rng)
    {
        byte[] header = Encoding.ASCII.GetBytes($"P6\n{w} {h}\n255\n");
        var pixels = new byte[w * h * 3];
        rng.NextBytes(pixels);
        File.WriteAllBytes(path, [.. header, .. pixels]);
    }
}
