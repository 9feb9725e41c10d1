using System.Text.Json;
using EdgeCnn.App.Commands;
using EdgeCnn.Runtime.Diagnostics;
using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.App.Tests;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-bench").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Json_has_the_documented_fields_per_model_and_per_layer_and_zero_bytes_allocated()
    {
        string model = SaveEmbeddedModel();
        var output = new StringWriter();
        Assert.Equal(0, BenchCommand.Run([model, "--iterations", "3", "--warmup", "1", "--json"], output));

        using JsonDocument doc = JsonDocument.Parse(output.ToString());
        JsonElement root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.Equal(3, root.GetProperty("iterations").GetInt32());
        Assert.True(root.GetProperty("warmup").GetInt32() >= 1); // one asked for, continued to 0.5 s
        double median = root.GetProperty("median_ms").GetDouble(), p90 = root.GetProperty("p90_ms").GetDouble(), p99 = root.GetProperty("p99_ms").GetDouble();
        Assert.True(median > 0 && median <= p90 && p90 <= p99, $"median {median}, p90 {p90}, p99 {p99}");
        Assert.True(root.GetProperty("gmacs").GetDouble() > 0);
        Assert.Equal(0, root.GetProperty("allocated_bytes_per_run").GetInt64());
        Assert.True(root.GetProperty("peak_rss_bytes").GetInt64() > 1 << 20);
        double totalFraction = root.GetProperty("peak_fraction").GetDouble();
        Assert.True(totalFraction is > 0 and < 1.5, $"peak_fraction {totalFraction}");
        Assert.True(root.GetProperty("peak").GetProperty("fp32_gmacs").GetDouble() > 0);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("peak").GetProperty("int8_method").GetString()));

        using EcnnModel ecnn = EcnnModel.Load(model);
        Assert.Equal(MacCounter.PerNode(ecnn).Sum(), root.GetProperty("macs").GetInt64());
        JsonElement[] layers = root.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(ecnn.Nodes.Count, layers.Length);
        for (int k = 0; k < layers.Length; k++)
        {
            JsonElement l = layers[k];
            Assert.Equal(ecnn.Nodes[k].Name, l.GetProperty("name").GetString());
            Assert.Equal(ecnn.Nodes[k].Op.ToString(), l.GetProperty("op").GetString());
            Assert.True(l.GetProperty("ms").GetDouble() >= 0);
            Assert.True(l.GetProperty("gmacs").GetDouble() >= 0);
            JsonElement fraction = l.GetProperty("peak_fraction");
            if (MacCounter.IsWeighted(ecnn.Nodes[k].Op))
            {
                Assert.True(fraction.GetDouble() > 0, $"layer {k} ({l.GetProperty("op").GetString()}): peak_fraction {fraction}");
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, fraction.ValueKind);
            }
        }
    }

    [Fact]
    public void An_int8_layer_is_measured_against_the_int8_peak()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [1, 8, 8, 16], QuantizationInfo.PerTensor(0.05f, 3));
        float[] wScales = Enumerable.Range(0, 16).Select(o => 0.01f + (o * 0.001f)).ToArray();
        sbyte[] w = Enumerable.Range(0, 16 * 3 * 3 * 16).Select(i => (sbyte)((i * 37 % 255) - 127)).ToArray();
        TensorRef weights = b.Constant("w", w, [16, 3, 3, 16], QuantizationInfo.PerAxis(wScales, 0));
        TensorRef bias = b.Constant("b", new int[16], [16], QuantizationInfo.PerAxis(wScales.Select(s => s * 0.05f).ToArray(), 0));
        TensorRef y = b.Conv(x, weights, bias, new ConvOptions { PadMode = PadMode.SameUpper }, QuantizationInfo.PerTensor(0.1f, -5), name: "qconv");
        b.Output(b.Dequantize(y, name: "out"));
        string model = Path.Combine(_dir, "int8.ecnn");
        File.WriteAllBytes(model, b.Build());

        var output = new StringWriter();
        Assert.Equal(0, BenchCommand.Run([model, "--iterations", "5", "--warmup", "1", "--json"], output));
        using JsonDocument doc = JsonDocument.Parse(output.ToString());
        JsonElement conv = doc.RootElement.GetProperty("layers")[0];
        Assert.Equal("int8", conv.GetProperty("type").GetString());
        Assert.Equal(64L * 16 * 144, conv.GetProperty("macs").GetInt64());
        double int8Peak = doc.RootElement.GetProperty("peak").GetProperty("int8_gmacs").GetDouble();
        Assert.Equal(conv.GetProperty("gmacs").GetDouble() / int8Peak, conv.GetProperty("peak_fraction").GetDouble(), 6);
        Assert.Equal(0, doc.RootElement.GetProperty("allocated_bytes_per_run").GetInt64());
    }

    [Fact]
    public void Text_report_states_latency_throughput_allocations_and_the_peaks()
    {
        string model = SaveEmbeddedModel();
        var output = new StringWriter();
        Assert.Equal(0, BenchCommand.Run([model, "--iterations", "2", "--warmup", "0"], output));
        string text = output.ToString();
        Assert.Contains("latency: p50 ", text, StringComparison.Ordinal);
        Assert.Contains("allocated per run: 0 bytes", text, StringComparison.Ordinal);
        Assert.Contains("peak fp32 ", text, StringComparison.Ordinal);
        Assert.Contains("f32-conv-", text, StringComparison.Ordinal); // a kernel name from the table
        Assert.Contains("peak RSS: ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_checked_and_threads_reach_the_session()
    {
        Assert.Equal(("m.ecnn", 1, 7, 0, true), BenchCommand.Parse(["m.ecnn", "--iterations", "7", "--warmup", "0", "--json"]));
        Assert.Equal(("m.ecnn", 1, 50, 5, false), BenchCommand.Parse(["m.ecnn"]));
        Assert.Equal(2, BenchCommand.OptionsFor(2).Threads);
        Assert.Contains("--threads 65", Assert.Throws<UsageException>(() => BenchCommand.OptionsFor(65)).Message, StringComparison.Ordinal);
        Assert.Contains("needs a model file", Assert.Throws<UsageException>(() => BenchCommand.Parse(["--json"])).Message, StringComparison.Ordinal);
        Assert.Contains("unknown option '--fast'", Assert.Throws<UsageException>(() => BenchCommand.Parse(["m.ecnn", "--fast"])).Message, StringComparison.Ordinal);
        Assert.Contains("'zero'", Assert.Throws<UsageException>(() => BenchCommand.Parse(["m.ecnn", "--iterations", "zero"])).Message, StringComparison.Ordinal);
        Assert.Contains("from 1", Assert.Throws<UsageException>(() => BenchCommand.Parse(["m.ecnn", "--iterations", "0"])).Message, StringComparison.Ordinal);
        Assert.Contains("needs a value", Assert.Throws<UsageException>(() => BenchCommand.Parse(["m.ecnn", "--threads"])).Message, StringComparison.Ordinal);
        Assert.Contains("second one", Assert.Throws<UsageException>(() => BenchCommand.Parse(["a.ecnn", "b.ecnn"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edgecnn_run_dispatches_bench_and_maps_its_errors_to_exit_codes()
    {
        string model = SaveEmbeddedModel();
        Assert.Equal(0, Program.Main(["bench", model, "--iterations", "1", "--warmup", "0"]));
        Assert.Equal(0, Program.Main(["bench", model, "--threads", "2", "--iterations", "1", "--warmup", "0"]));
        Assert.Equal(2, Program.Main(["bench", model, "--threads", "0"])); // usage error
        Assert.Equal(3, Program.Main(["bench", Path.Combine(_dir, "absent.ecnn")])); // I/O error
    }

    [Fact]
    public void A_missing_model_fails_before_anything_is_timed()
    {
        string missing = Path.Combine(_dir, "absent.ecnn");
        var e = Assert.ThrowsAny<IOException>(() => BenchCommand.Run([missing], TextWriter.Null));
        Assert.Contains("absent.ecnn", e.Message, StringComparison.Ordinal);
    }

    private string SaveEmbeddedModel()
    {
        string path = Path.Combine(_dir, "fashion.ecnn");
        File.WriteAllBytes(path, EmbeddedDefault.Model());
        return path;
    }
}
