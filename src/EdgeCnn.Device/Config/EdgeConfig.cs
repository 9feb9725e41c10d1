namespace EdgeCnn.Device.Config;

/// <summary>
/// edgecnn.json, the device app's configuration (firmware-config/schema/edgecnn.schema.json documents it field by field).
/// Read by System.Text.Json source generation (<see cref="ConfigJsonContext"/>): no reflection, AOT-safe. Every field has a
/// default, so <c>{}</c> is a valid config: the embedded Fashion-MNIST model on its bundled frames.
/// </summary>
public sealed class EdgeConfig
{
    /// <summary>A .ecnn path, or "builtin:fashion-mnist" / "builtin:patterns" for the models inside the binary.</summary>
    public string Model { get; set; } = "builtin:fashion-mnist";

    public SourceConfig Source { get; set; } = new();

    public PreprocessConfig Preprocess { get; set; } = new();

    public PostprocessConfig Postprocess { get; set; } = new();

    public IList<RuleConfig> Rules { get; set; } = [];

    public OutputConfig Output { get; set; } = new();

    public SystemdConfig Systemd { get; set; } = new();

    /// <summary>Frames to process; 0 runs until the source ends (a camera: until stopped).</summary>
    public long Frames { get; set; }

    /// <summary>Frames before the allocation and GC counters start (JIT tiering, first-touch of buffers).</summary>
    public int WarmupFrames { get; set; } = 100;
}

public sealed class SourceConfig
{
    /// <summary>"v4l2", "images", "idx" or "synthetic".</summary>
    public string Type { get; set; } = "idx";

    /// <summary>v4l2: the device node; prefer a stable /dev/v4l/by-id/... path.</summary>
    public string Device { get; set; } = "/dev/video0";

    /// <summary>images: a PNG/PGM/PPM file or a folder of them; idx: an idx3-ubyte(.gz) file. Empty with idx: the bundled frames.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>idx: an idx1-ubyte(.gz) label file (optional).</summary>
    public string? Labels { get; set; }

    public int Width { get; set; } = 640;

    public int Height { get; set; } = 480;

    /// <summary>v4l2: "YUYV", "NV12", "GREY", "RGB24", "BGR24" or "MJPEG".</summary>
    public string PixelFormat { get; set; } = "YUYV";

    public int Fps { get; set; } = 30;

    /// <summary>v4l2: mmap buffers (at least 3 for the latest-frame policy).</summary>
    public int Buffers { get; set; } = 4;

    /// <summary>File sources: start again at the first frame when the last has been read.</summary>
    public bool Loop { get; set; }

    /// <summary>synthetic: the pattern generator's seed.</summary>
    public long Seed { get; set; } = 2026;
}

/// <summary>Overrides of the preprocessing the model's metadata states (all optional).</summary>
public sealed class PreprocessConfig
{
    /// <summary>"bilinear", "area" or "nearest"; null keeps the model's.</summary>
    public string? Resize { get; set; }

    /// <summary>"none" or "center" (the largest centred region with the input's aspect ratio); null keeps the model's.</summary>
    public string? Crop { get; set; }
}

public sealed class PostprocessConfig
{
    /// <summary>"classifier" (top-k of the output scores) or "ultraface" (SSD box decoding + NMS).</summary>
    public string Type { get; set; } = "classifier";

    public int TopK { get; set; } = 3;

    /// <summary>ultraface: the lowest face score kept before NMS.</summary>
    public float ScoreThreshold { get; set; } = 0.7f;

    /// <summary>ultraface: boxes overlapping a better one by more than this IoU are suppressed.</summary>
    public float IouThreshold { get; set; } = 0.3f;

    public int MaxDetections { get; set; } = 16;
}

public sealed class RuleConfig
{
    /// <summary>A class label of the model (classifier) or "face" (ultraface).</summary>
    public string Label { get; set; } = string.Empty;

    public float MinScore { get; set; } = 0.5f;

    public GpioLineConfig Gpio { get; set; } = new();

    /// <summary>The condition must hold this long before the line follows it.</summary>
    public int DebounceMs { get; set; }

    /// <summary>Once active the line stays active at least this long.</summary>
    public int MinHoldMs { get; set; }
}

public sealed class GpioLineConfig
{
    public string Chip { get; set; } = "/dev/gpiochip0";

    public int Line { get; set; } = -1;

    public bool ActiveLow { get; set; }
}

public sealed class OutputConfig
{
    /// <summary>"stdout", "none", or a file path (appended).</summary>
    public string JsonLines { get; set; } = "stdout";

    /// <summary>Write a line for every Nth frame (1: every frame, 0: none; events are always written).</summary>
    public int EveryNthFrame { get; set; } = 1;
}

public sealed class SystemdConfig
{
    /// <summary>Send READY=1 and WATCHDOG=1 to NOTIFY_SOCKET when frames complete.</summary>
    public bool Notify { get; set; } = true;
}
