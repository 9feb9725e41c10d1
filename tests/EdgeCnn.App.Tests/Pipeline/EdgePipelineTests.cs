using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeCnn.App.Pipeline;
using EdgeCnn.Device.Config;
using EdgeCnn.Device.Output;
using EdgeCnn.Device.Systemd;
using EdgeCnn.Device.Tests.Gpio;

namespace EdgeCnn.App.Tests.Pipeline;

/// <summary>The whole device loop in-process: built-in pattern model on synthetic frames, rules on a fake GPIO chip.</summary>
public sealed class EdgePipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline").FullName;

    private static EdgeConfig Config(long frames, params RuleConfig[] rules)
    {
        EdgeConfig c = ConfigLoader.Parse("""{ "model": "builtin:patterns", "source": { "type": "synthetic", "width": 48, "height": 40 }, "systemd": { "notify": false } }""", "test", ".");
        c.Frames = frames;
        foreach (RuleConfig r in rules)
        {
            c.Rules.Add(r);
        }

        return c;
    }

    private static RuleConfig Rule(string label, int line, int debounceMs = 0, int holdMs = 0) =>
        new() { Label = label, MinScore = 0.5f, Gpio = new GpioLineConfig { Chip = "/dev/gpiochip-fake", Line = line }, DebounceMs = debounceMs, MinHoldMs = holdMs };

    [Fact]
    public void Frames_are_classified_rules_drive_the_fake_lines_and_every_change_is_a_json_line()
    {
        var chip = new FakeGpioChip();
        var stream = new MemoryStream();
        int writesWhileRunning;
        using (var pipeline = new EdgePipeline(Config(30, Rule("checkerboard", 2), Rule("vertical-stripes", 5)), "test", _ => chip, new JsonLinesWriter(stream, ownsStream: false)))
        {
            var ticks = default(StageTicks);
            int correct = 0;
            while (pipeline.Step(ref ticks))
            {
                correct += pipeline.Post.Best == pipeline.LastTruth ? 1 : 0;
                // no debounce or hold: each line follows its class's score on every frame
                Assert.Equal(pipeline.Post.Score(2) >= 0.5f, chip.Requested[2].Value);
                Assert.Equal(pipeline.Post.Score(1) >= 0.5f, chip.Requested[5].Value);
            }

            Assert.Equal(30, pipeline.Frames);
            Assert.True(correct >= 27, $"{correct}/30 synthetic frames classified right");
            Assert.True(ticks.Inference > 0 && ticks.Preprocess > 0);
            writesWhileRunning = chip.Requested[2].Writes.Count + chip.Requested[5].Writes.Count;
        }

        Assert.True(chip.Disposed);
        Assert.All(chip.Requested.Values, l => Assert.True(l.Released && !l.Value, "lines are driven inactive and released at the end"));
        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonElement[] json = [.. lines.Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal("started", json[0].GetProperty("event").GetString());
        Assert.Equal(30, json.Count(j => j.TryGetProperty("frame", out _)));
        int lineEvents = json.Count(j => j.TryGetProperty("event", out JsonElement e) && string.Equals(e.GetString(), "line", StringComparison.Ordinal));
        Assert.Equal(writesWhileRunning, lineEvents); // releases at shutdown write no event
        Assert.True(writesWhileRunning > 4, "the classes alternate, so the lines toggle");
        JsonElement frame = json.First(j => j.TryGetProperty("frame", out _));
        Assert.True(frame.GetProperty("top")[0].GetProperty("score").GetSingle() > 0f);
        Assert.True(frame.GetProperty("latencyMs").GetDouble() > 0);
    }

    [Fact]
    public void A_steady_state_frame_allocates_nothing_with_rules_json_and_top_k()
    {
        var chip = new FakeGpioChip();
        var stream = new MemoryStream(16 << 20);
        using var pipeline = new EdgePipeline(Config(0, Rule("checkerboard", 2, debounceMs: 10, holdMs: 50)), "test", _ => chip, new JsonLinesWriter(stream, ownsStream: false));
        var ticks = default(StageTicks);
        for (int i = 0; i < 50; i++)
        {
            Assert.True(pipeline.Step(ref ticks));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 300; i++)
        {
            pipeline.Step(ref ticks);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Ready_is_sent_only_once_a_frame_has_completed()
    {
        string socketPath = Path.Combine(_dir, "notify");
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(socketPath));
        EdgeConfig config = Config(3);
        config.Systemd.Notify = true;
        using (var pipeline = new EdgePipeline(config, "test", output: new JsonLinesWriter(Stream.Null, false), notify: new SdNotify(socketPath)))
        {
            Assert.False(server.Poll(50_000, SelectMode.SelectRead), "nothing before the first frame: model loaded is not ready");
            var ticks = default(StageTicks);
            Assert.True(pipeline.Step(ref ticks));
            var buffer = new byte[64];
            Assert.True(server.Poll(1_000_000, SelectMode.SelectRead));
            Assert.Equal("READY=1", Encoding.ASCII.GetString(buffer, 0, server.Receive(buffer)));
        }

        var last = new byte[64];
        Assert.Equal("STOPPING=1", Encoding.ASCII.GetString(last, 0, server.Receive(last)));
    }

    [Fact]
    public void Unknown_rule_label_and_busy_line_are_config_errors_at_their_paths()
    {
        var e = Assert.Throws<ConfigException>(() => new EdgePipeline(Config(1, Rule("circles", 1)), "t.json", _ => new FakeGpioChip(), new JsonLinesWriter(Stream.Null, false)));
        Assert.Equal("$.rules[0].label", e.JsonPath);
        Assert.Contains("\"horizontal-stripes\", \"vertical-stripes\", \"checkerboard\"", e.Message, StringComparison.Ordinal);
        var chip = new FakeGpioChip();
        chip.RequestOutput(4, "someone else", false, false);
        e = Assert.Throws<ConfigException>(() => new EdgePipeline(Config(1, Rule("checkerboard", 4)), "t.json", _ => chip, new JsonLinesWriter(Stream.Null, false)));
        Assert.Equal("$.rules[0].gpio.line", e.JsonPath);
        Assert.Contains("errno 16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_command_reads_a_config_file_and_reports_zero_allocation_after_warm_up()
    {
        string config = Path.Combine(_dir, "edgecnn.json");
        File.WriteAllText(config, """
            { "model": "builtin:patterns", "source": { "type": "synthetic", "width": 32, "height": 32 },
              "output": { "jsonLines": "frames.jsonl" }, "frames": 400, "warmupFrames": 100, "systemd": { "notify": false } }
            """);
        var log = new StringWriter();
        Assert.Equal(0, RunCommand.Run(config, frames: null, jsonLines: null, log));
        // gen0 collections are counted process-wide, and other test classes run in parallel here: the CI soak asserts them
        // in a process of its own. Allocated bytes are this thread's.
        Assert.Contains("\"frames\":400,\"warmupFrames\":100,\"allocatedBytesAfterWarmup\":0,\"gen0CollectionsAfterWarmup\":", log.ToString(), StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(Path.Combine(_dir, "frames.jsonl"));
        Assert.Equal(400, lines.Count(l => l.StartsWith("{\"frame\":", StringComparison.Ordinal)));
        Assert.StartsWith("{\"event\":\"stopped\",\"frames\":400", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_command_with_no_warm_up_counts_from_the_first_frame_not_from_thread_start()
    {
        // warmupFrames 0 is allowed: the counters must then start before the first frame, not at 0 (which reported every
        // byte this thread ever allocated, model loading included, as allocated in the frame loop)
        string config = Path.Combine(_dir, "edgecnn.json");
        File.WriteAllText(config, """
            { "model": "builtin:patterns", "source": { "type": "synthetic", "width": 32, "height": 32 },
              "output": { "jsonLines": "none" }, "frames": 50, "warmupFrames": 0, "systemd": { "notify": false } }
            """);
        var log = new StringWriter();
        Assert.Equal(0, RunCommand.Run(config, frames: null, jsonLines: null, log));
        string summary = log.ToString();
        int at = summary.IndexOf("\"allocatedBytesAfterWarmup\":", StringComparison.Ordinal);
        Assert.True(at >= 0, summary);
        long allocated = long.Parse(summary[(at + 28)..].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        // the frame loop itself allocates nothing; the first frames may warm a few lazy paths, never megabytes of loading
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void Check_config_prints_what_would_run_and_bench_splits_the_frame_time()
    {
        string config = Path.Combine(_dir, "edgecnn.json");
        File.WriteAllText(config, """
            { "source": { "type": "idx", "loop": true },
              "rules": [ { "label": "Sneaker", "minScore": 0.8, "gpio": { "chip": "/dev/gpiochip0", "line": 17 }, "minHoldMs": 2000 } ] }
            """);
        var output = new StringWriter();
        Assert.Equal(0, CheckConfigCommand.Run(config, output));
        Assert.Contains("input Float32 [1,1,28,28], 10 labels", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("rule    Sneaker >= 0.8 -> /dev/gpiochip0 line 17", output.ToString(), StringComparison.Ordinal);

        File.WriteAllText(config, """{ "model": "builtin:patterns", "source": { "type": "synthetic", "width": 32, "height": 32 }, "systemd": { "notify": false } }""");
        output = new StringWriter();
        Assert.Equal(0, PipelineBenchCommand.Run(config, frames: 50, warmup: 5, coldStarts: 0, output));
        string report = output.ToString();
        foreach (string stage in new[] { "capture", "preprocess", "inference", "action", "total" })
        {
            Assert.Contains("  " + stage, report, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bench_times_the_cold_start_of_a_config_that_writes_no_frame_lines()
    {
        // everyNthFrame 0 (events only) is a valid deployment: the cold start must still find the end of the first frame
        string config = Path.Combine(_dir, "edgecnn.json");
        File.WriteAllText(config, """
            { "model": "builtin:patterns", "source": { "type": "synthetic", "width": 32, "height": 32 },
              "output": { "everyNthFrame": 0 }, "systemd": { "notify": false } }
            """);
        var output = new StringWriter();
        Assert.Equal(0, PipelineBenchCommand.Run(config, frames: 5, warmup: 0, coldStarts: 1, output));
        Assert.Contains("cold start to first result (1 runs", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10", "the source ended during warm-up after 1 frames")] // warm-up wants more frames than the source has
    [InlineData("1", "the source ended right after warm-up")]            // nothing left to time (was an IndexOutOfRange)
    public void Bench_on_a_source_that_ends_too_soon_is_a_clear_error_and_exit_code_not_a_crash(string warmup, string message)
    {
        string images = Path.Combine(_dir, "images");
        Directory.CreateDirectory(images);
        File.WriteAllBytes(Path.Combine(images, "a.pgm"), [.. "P5 32 32 255\n"u8, .. new byte[32 * 32]]);
        string config = Path.Combine(_dir, "edgecnn.json");
        File.WriteAllText(config, """
            { "model": "builtin:patterns", "source": { "type": "images", "path": "images" }, "systemd": { "notify": false } }
            """);
        TextWriter error = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            Assert.Equal(3, Program.Main(["bench", "--config", config, "--frames", "5", "--warmup", warmup, "--cold-starts", "0"]));
        }
        finally
        {
            Console.SetError(error);
        }

        Assert.Contains(message, captured.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_an_empty_json_lines_target_is_a_usage_error_not_a_crash()
    {
        string config = Path.Combine(_dir, "edgecnn.json");
        File.WriteAllText(config, """{ "model": "builtin:patterns", "source": { "type": "synthetic", "width": 32, "height": 32 }, "frames": 1, "systemd": { "notify": false } }""");
        TextWriter error = Console.Error;
        Console.SetError(TextWriter.Null);
        try
        {
            // the config's "" is refused at $.output.jsonLines; the command line's must be too (FileStream("") threw ArgumentException)
            Assert.Equal(2, Program.Main(["run", "--config", config, "--json-lines", ""]));
        }
        finally
        {
            Console.SetError(error);
        }
    }

    [Fact]
    public void Check_config_refuses_a_model_whose_input_is_not_an_image_as_run_does()
    {
        // check-config is the unit's ExecStartPre: it must not say OK for a model the run refuses (4-channel input here)
        var b = new EdgeCnn.Runtime.Graph.ModelBuilder();
        EdgeCnn.Runtime.Graph.TensorRef x = b.Input("x", EdgeCnn.Runtime.Graph.DataType.Float32, [1, 4, 8, 8]);
        EdgeCnn.Runtime.Graph.TensorRef pooled = b.Node(EdgeCnn.Runtime.Graph.OpCode.GlobalAveragePool, [x], name: "pool");
        b.Output(b.Node(EdgeCnn.Runtime.Graph.OpCode.Reshape, [pooled], [EdgeCnn.Runtime.Graph.NodeAttribute.IntList(EdgeCnn.Runtime.Graph.AttributeKey.Shape, [1, 8])], name: "flat"));
        File.WriteAllBytes(Path.Combine(_dir, "four.ecnn"), b.Build());
        string config = Path.Combine(_dir, "edgecnn.json");
        File.WriteAllText(config, """{ "model": "four.ecnn", "source": { "type": "synthetic", "width": 32, "height": 32 }, "systemd": { "notify": false } }""");
        var run = Assert.Throws<ConfigException>(() => RunCommand.Run(config, frames: 1, jsonLines: "none", TextWriter.Null));
        var check = Assert.Throws<ConfigException>(() => CheckConfigCommand.Run(config, TextWriter.Null));
        Assert.Equal(run.JsonPath, check.JsonPath);
        Assert.Contains("channels", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_go_inactive_when_the_camera_is_lost_rather_than_holding_the_last_frame_s_state()
    {
        // a face seen, then the camera unplugged: the relay must not stay on for as long as the camera is away (LineRule's
        // Release is documented for "frames stopped"); it follows the frames again once they come back
        var chip = new FakeGpioChip();
        var stream = new MemoryStream();
        RuleConfig always = Rule("checkerboard", 2);
        always.MinScore = 0f;
        using var pipeline = new EdgePipeline(Config(5, always), "test", _ => chip, new JsonLinesWriter(stream, ownsStream: false));
        var ticks = default(StageTicks);
        Assert.True(pipeline.Step(ref ticks));
        Assert.True(chip.Requested[2].Value);
        pipeline.OnCameraEvent(new EdgeCnn.Vision.Capture.CameraEvent(EdgeCnn.Vision.Capture.CameraEventKind.Lost, "/dev/video0", 19, "VIDIOC_DQBUF"));
        Assert.False(chip.Requested[2].Value);
        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("{\"event\":\"line\"", StringComparison.Ordinal) && l.Contains("\"value\":0", StringComparison.Ordinal));
        Assert.True(pipeline.Step(ref ticks));
        Assert.True(chip.Requested[2].Value);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
