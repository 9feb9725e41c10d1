using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeCnn.Device.Config;
using EdgeCnn.Device.Gpio;
using EdgeCnn.Device.Output;
using EdgeCnn.Device.Rules;
using EdgeCnn.Device.Systemd;
using EdgeCnn.Runtime.Graph;
using EdgeCnn.Vision.Capture;
using EdgeCnn.Vision.Frames;
using EdgeCnn.Vision.Preprocessing;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.App.Pipeline;

/// <summary>Where one frame's time went, in Stopwatch ticks.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
internal struct StageTicks
{
    public long Capture;
    public long Preprocess;
    public long Inference;
    public long Action;
}

/// <summary>
/// The device loop a config describes: frame source -> fused preprocessing into the model's input -> InferenceSession.Run
/// -> postprocessing -> rules driving GPIO lines -> a JSON line -> watchdog. Everything is built in the constructor
/// (the plan); <see cref="Step"/> only moves one frame through and allocates nothing.
/// </summary>
internal sealed class EdgePipeline : IDisposable
{
    private readonly IFrameSource _source;
    private readonly InferenceSession _session;
    private readonly FusedPreprocessor _preprocess;
    private readonly Postprocessor _post;
    private readonly LineRule[] _rules;
    private readonly JsonEncodedText[] _ruleChips;
    private readonly Dictionary<string, IGpioChip> _chips = new(StringComparer.Ordinal);
    private readonly JsonLinesWriter? _output;
    private readonly int _everyNth;
    private readonly FrameWatchdog? _watchdog;
    private readonly SdNotify? _notify;
    private readonly byte[] _frame;
    private readonly bool _int8Input;

    /// <param name="chipFactory">opens a GPIO chip by path (tests pass a fake)</param>
    /// <param name="output">JSON lines writer, or null to follow the config</param>
    /// <param name="source">a frame source to use instead of the config's (tests); the pipeline owns it</param>
    public EdgePipeline(EdgeConfig config, string origin, Func<string, IGpioChip>? chipFactory = null, JsonLinesWriter? output = null, SdNotify? notify = null, IFrameSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _output = output ?? (config.Output.JsonLines is "none" ? null : JsonLinesWriter.Open(config.Output.JsonLines));
        _everyNth = config.Output.EveryNthFrame;
        try
        {
            _session = InferenceSession.Load(PipelineParts.ModelBytes(config, origin));
            _source = source ?? PipelineParts.Source(config, origin, OnCameraEvent);
            _frame = new byte[_source.Format.FrameBytes];
            _preprocess = CreatePreprocessor(config, origin, _session, _source.Format, out _int8Input);
            _post = new Postprocessor(_session, config.Postprocess, origin);
            _rules = new LineRule[config.Rules.Count];
            _ruleChips = new JsonEncodedText[config.Rules.Count];
            chipFactory ??= path => new GpioChip(path);
            for (int i = 0; i < _rules.Length; i++)
            {
                RuleConfig r = config.Rules[i];
                string at = string.Create(CultureInfo.InvariantCulture, $"$.rules[{i}]");
                int label = _post.LabelIndex(r.Label);
                if (label < 0)
                {
                    throw new ConfigException(origin, at + ".label", $"'{r.Label}' is not a label of the model", string.Join(", ", _post.Labels.Select(l => $"\"{l}\"")));
                }

                if (!_chips.TryGetValue(r.Gpio.Chip, out IGpioChip? chip))
                {
                    chip = Open(chipFactory, r.Gpio.Chip, origin, at + ".gpio.chip");
                    _chips.Add(r.Gpio.Chip, chip);
                }

                IGpioOutput line;
                try
                {
                    line = chip.RequestOutput(r.Gpio.Line, "edgecnn-run", r.Gpio.ActiveLow, initial: false);
                }
                catch (GpioException e)
                {
                    throw new ConfigException(origin, at + ".gpio.line", e.Message, ConfigFields.For(at + ".gpio.line"));
                }

                _rules[i] = new LineRule(r.Label, label, r.MinScore, line, r.DebounceMs, r.MinHoldMs);
                _ruleChips[i] = JsonEncodedText.Encode(r.Gpio.Chip);
            }

            if (config.Systemd.Notify)
            {
                _notify = notify ?? SdNotify.FromEnvironment();
                _watchdog = FrameWatchdog.FromEnvironment(_notify);
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        WriteEvent("started", ("model", config.Model), ("source", config.Source.Type), ("format", _source.Format.ToString()),
            ("input", $"{_session.Inputs[0].Type} [{string.Join(",", _session.Inputs[0].Shape)}]"));
    }

    public EdgeConfig Config { get; }

    public IFrameSource Source => _source;

    public InferenceSession Session => _session;

    public Postprocessor Post => _post;

    public IReadOnlyList<LineRule> Rules => _rules;

    public long Frames { get; private set; }

    /// <summary>The last frame's label from a labelled source (-1 otherwise).</summary>
    public int LastTruth { get; private set; }

    /// <summary>Moves one frame through the pipeline. False when the source is exhausted or stopped.</summary>
    public bool Step(ref StageTicks ticks)
    {
        long t0 = Stopwatch.GetTimestamp();
        FrameInfo info;
        long t1;
        do
        {
            if (!_source.TryRead(_frame, out info))
            {
                return false;
            }

            t1 = Stopwatch.GetTimestamp();
        }
        while (!Preprocess(info));

        long t2 = Stopwatch.GetTimestamp();
        _session.Run();
        long t3 = Stopwatch.GetTimestamp();
        _post.Process();
        for (int i = 0; i < _rules.Length; i++)
        {
            LineRule rule = _rules[i];
            if (rule.Update(_post.Score(rule.ClassIndex), info.TimestampNs))
            {
                WriteLineEvent(i, info.TimestampNs);
            }
        }

        if (_output is not null && _everyNth > 0 && Frames % _everyNth == 0)
        {
            Utf8JsonWriter json = _output.BeginLine();
            json.WriteNumber(JsonNames.Frame, info.Sequence);
            json.WriteNumber(JsonNames.TimeS, Math.Round(info.TimestampNs / 1e9, 6));
            _post.Write(json);
            if (info.Label >= 0)
            {
                json.WriteNumber(JsonNames.Truth, info.Label);
            }

            json.WriteNumber(JsonNames.LatencyMs, Math.Round((Stopwatch.GetTimestamp() - t0) * 1000.0 / Stopwatch.Frequency, 3));
            _output.EndLine();
        }

        _watchdog?.FrameCompleted(MonotonicClock.NowNs());
        long t4 = Stopwatch.GetTimestamp();
        ticks.Capture += t1 - t0;
        ticks.Preprocess += t2 - t1;
        ticks.Inference += t3 - t2;
        ticks.Action += t4 - t3;
        LastTruth = info.Label;
        Frames++;
        return true;
    }

    /// <summary>JPEG frames whose data was corrupt (USB cameras send some): dropped, the next frame taken.</summary>
    public long CorruptFrames { get; private set; }

    /// <summary>Stops a camera's blocking read (signal handler).</summary>
    public void Stop()
    {
        if (_source is V4L2Camera camera)
        {
            camera.Stop();
        }
    }

    /// <summary>A JSON line {"event": name, key: value, ...}; events are rare, so this may allocate.</summary>
    public void WriteEvent(string name, params (string Key, object? Value)[] fields)
    {
        if (_output is null)
        {
            return;
        }

        Utf8JsonWriter json = _output.BeginLine();
        json.WriteString(JsonNames.Event, name);
        foreach ((string key, object? value) in fields)
        {
            switch (value)
            {
                case null:
                    json.WriteNull(key);
                    break;
                case long l:
                    json.WriteNumber(key, l);
                    break;
                case int n:
                    json.WriteNumber(key, n);
                    break;
                case double d:
                    json.WriteNumber(key, d);
                    break;
                case bool b:
                    json.WriteBoolean(key, b);
                    break;
                default:
                    json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        _output.EndLine();
    }

    public void Dispose()
    {
        if (_rules is not null)
        {
            foreach (LineRule? rule in _rules)
            {
                if (rule is not null)
                {
                    TryRelease(rule);
                    rule.Dispose();
                }
            }
        }

        foreach (IGpioChip chip in _chips.Values)
        {
            chip.Dispose();
        }

        _notify?.Stopping();
        _notify?.Dispose();
        _preprocess?.Dispose();
        _source?.Dispose();
        _session?.Dispose();
        _output?.Dispose();
    }

    /// <summary>Frame into the model input; false for a corrupt compressed frame (counted and reported, never fatal).</summary>
    private bool Preprocess(in FrameInfo info)
    {
        // a compressed frame is the bytes it filled; an uncompressed one is the whole buffer of its format
        if (_source.Format.PixelFormat != PixelFormat.Mjpeg)
        {
            RunPreprocess(_frame);
            return true;
        }

        try
        {
            RunPreprocess(_frame.AsSpan(0, info.Bytes));
            return true;
        }
        catch (InvalidDataException e)
        {
            CorruptFrames++;
            WriteEvent("frame-dropped", ("frame", info.Sequence), ("reason", e.Message));
            return false;
        }
    }

    private void RunPreprocess(ReadOnlySpan<byte> frame)
    {
        if (_int8Input)
        {
            _preprocess.Run(frame, _session.Input<sbyte>(0));
        }
        else
        {
            _preprocess.Run(frame, _session.Input<float>(0));
        }
    }

    private static FusedPreprocessor CreatePreprocessor(EdgeConfig config, string origin, InferenceSession session, FrameFormat format, out bool int8)
    {
        (PreprocessSpec spec, PreprocessTarget target, QuantizationInfo? q) = ResolveInput(config, origin, session, out int8);
        return new FusedPreprocessor(format, PreprocessPlanner.Create(spec, target, format, int8, q?.Scale ?? 1f, q?.ZeroPoint ?? 0));
    }

    /// <summary>
    /// The model's preprocessing (with the config's overrides) resolved against its input, independent of the frame format:
    /// what check-config verifies without opening the camera. Failures name $.model.
    /// </summary>
    internal static (PreprocessSpec Spec, PreprocessTarget Target, QuantizationInfo? Quantization) ResolveInput(EdgeConfig config, string origin, InferenceSession session, out bool int8)
    {
        SessionTensor input = session.Inputs[0];
        string? json = session.Model.GetMetadata("preprocess");
        PreprocessSpec spec;
        PreprocessTarget target;
        try
        {
            spec = json is null ? PreprocessSpec.Identity : PreprocessSpec.Parse(json);
            if (config.Preprocess.Resize is { } resize)
            {
                spec = spec.WithResize(resize switch { "area" => ResizeMethod.Area, "nearest" => ResizeMethod.Nearest, _ => ResizeMethod.Bilinear });
            }

            if (config.Preprocess.Crop is { } crop)
            {
                spec = spec.WithCrop(crop is "center" ? CropMode.Center : CropMode.None);
            }

            target = spec.Resolve([.. input.Shape]);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ConfigException(origin, "$.model", $"the model's preprocessing metadata does not fit its input: {e.Message}", ConfigFields.For("$.model"));
        }

        int8 = input.Type == DataType.Int8;
        if (input.Type is not (DataType.Float32 or DataType.Int8) || (int8 && input.Desc.Quantization is not { IsPerTensor: true }))
        {
            throw new ConfigException(origin, "$.model", $"the model input {input.Name} is {input.Type}; an image input is fp32 or per-tensor int8", ConfigFields.For("$.model"));
        }

        return (spec, target, input.Desc.Quantization);
    }

    private static IGpioChip Open(Func<string, IGpioChip> factory, string path, string origin, string field)
    {
        try
        {
            return factory(path);
        }
        catch (GpioException e)
        {
            throw new ConfigException(origin, field, e.Message, ConfigFields.For(field));
        }
    }

    private void TryRelease(LineRule rule)
    {
        try
        {
            rule.Release();
        }
        catch (GpioException)
        {
            // shutting down: the kernel releases the line with the fd anyway
        }
    }

    private void WriteLineEvent(int rule, long timestampNs)
    {
        if (_output is null)
        {
            return;
        }

        Utf8JsonWriter json = _output.BeginLine();
        json.WriteString(JsonNames.Event, JsonNames.LineEvent);
        json.WriteNumber(JsonNames.TimeS, Math.Round(timestampNs / 1e9, 6));
        json.WriteString(JsonNames.Label, _rules[rule].Name);
        json.WriteString(JsonNames.Chip, _ruleChips[rule]);
        json.WriteNumber(JsonNames.Line, _rules[rule].LineOffset);
        json.WriteNumber(JsonNames.Value, _rules[rule].Active ? 1 : 0);
        _output.EndLine();
    }

    /// <summary>Camera events become JSON lines; a lost camera also drives every line inactive (no frames, no evidence).</summary>
    internal void OnCameraEvent(CameraEvent e)
    {
        WriteEvent(e.Kind switch
        {
            CameraEventKind.Opened => "camera-opened",
            CameraEventKind.Lost => "camera-lost",
            CameraEventKind.Reconnected => "camera-reconnected",
            _ => "camera-reconnect-failed",
        }, ("device", e.Device), ("errno", e.Errno), ("detail", e.Detail), ("t", Math.Round(MonotonicClock.NowNs() / 1e9, 6)));
        if (e.Kind == CameraEventKind.Lost && _rules is not null)
        {
            for (int i = 0; i < _rules.Length; i++)
            {
                if (_rules[i].Release())
                {
                    WriteLineEvent(i, MonotonicClock.NowNs());
                }
            }
        }
    }
}
