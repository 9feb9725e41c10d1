using System.CommandLine;
using System.Globalization;
using EdgeCnn.Converter.Quantization;

namespace EdgeCnn.Converter.Cli.Commands;

/// <summary>The int8 options of `convert`: calibration, method, mixed precision, evaluation and report.</summary>
internal sealed class Int8CliOptions
{
    public Option<bool> Int8 { get; } = new("--int8")
    {
        Description = "Quantize to int8 (per-channel symmetric weights, per-tensor asymmetric activations, int32 bias) " +
            "calibrated on --calibration.",
    };

    public Option<string> Calibration { get; } = new("--calibration")
    {
        Description = "Calibration samples: an IDX image file (gzipped or not), a .npy tensor file or a folder of .npy files, " +
            "or a folder of PNG/PGM/PPM images (subfolders included).",
        HelpName = "SRC",
    };

    public Option<string> Method { get; } = new("--calibration-method")
    {
        Description = $"How each activation's range is chosen: minmax, percentile, entropy (KL divergence) or mse " +
            $"(default {CalibrationMethods.Name(Int8Conversion.DefaultMethod)}, chosen by measurement; see the README).",
        HelpName = "METHOD",
        DefaultValueFactory = _ => CalibrationMethods.Name(Int8Conversion.DefaultMethod),
    };

    public Option<int> Samples { get; } = new("--calibration-samples")
    {
        Description = "At most this many calibration samples, taken evenly across the source.",
        DefaultValueFactory = _ => 500,
    };

    public Option<double> Percentile { get; } = new("--percentile")
    {
        Description = "For --calibration-method percentile: the percent of values kept inside the range.",
        DefaultValueFactory = _ => 99.99,
    };

    public Option<string> KeepFloat { get; } = new("--keep-float")
    {
        Description = "Layers kept in fp32: 'auto' (every layer whose own int8 SQNR is below --keep-float-threshold) or " +
            "comma-separated layer names as the report lists them (or both: auto,NAME,...).",
        HelpName = "auto|NAME,...",
    };

    public Option<double> Threshold { get; } = new("--keep-float-threshold")
    {
        Description = "SQNR in dB under which --keep-float auto keeps a layer fp32.",
        DefaultValueFactory = _ => Int8Conversion.DefaultAutoThresholdDb,
        HelpName = "DB",
    };

    public Option<int> MeasureSamples { get; } = new("--measure-samples")
    {
        Description = "Calibration samples on which every layer's int8 error (SQNR, cosine) is measured.",
        DefaultValueFactory = _ => 100,
    };

    public Option<string> Eval { get; } = new("--eval")
    {
        Description = "Labelled images to measure top-1 fp32 vs int8 on: an IDX image file (with --eval-labels) or a folder " +
            "with one subfolder of images per class.",
        HelpName = "IMAGES|DIR",
    };

    public Option<string> EvalLabels { get; } = new("--eval-labels")
    {
        Description = "IDX label file for --eval (idx1-ubyte, gzipped or not).",
        HelpName = "LABELS",
    };

    public Option<int> EvalLimit { get; } = new("--eval-limit")
    {
        Description = "Evaluate only the first N images of --eval (default: all).",
        DefaultValueFactory = _ => int.MaxValue,
    };

    public Option<string[]> Report { get; } = new("--report")
    {
        Description = "Write the quantization report: OUT.html (self-contained, inline SVG charts) and/or OUT.json; repeat for both.",
        HelpName = "OUT.html|OUT.json",
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Sessions run in parallel while calibrating, measuring and evaluating.",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public Option<string> Preprocess { get; } = new("--preprocess")
    {
        Description = "How pixels become model input, stored in the model as its 'preprocess' metadata: inline JSON " +
            "(e.g. {\"scale\":0.00392157}) or a JSON file.",
        HelpName = "JSON|FILE",
    };

    public Option<string> EmitQdq { get; } = new("--emit-qdq")
    {
        Description = "Also write the int8 model as a QDQ ONNX model (QuantizeLinear/DequantizeLinear with the very same " +
            "scales and zero points) for ONNX Runtime.",
        HelpName = "OUT.onnx",
    };

    public IEnumerable<Option> All => [Int8, Calibration, Method, Samples, Percentile, KeepFloat, Threshold, MeasureSamples, Eval, EvalLabels, EvalLimit,
        Report, Threads, Preprocess, EmitQdq];

    public void AddValidators(Command command)
    {
        foreach (Option<int> count in new[] { Samples, MeasureSamples, Threads, EvalLimit })
        {
            count.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 1)
                {
                    r.AddError($"{count.Name} must be at least 1");
                }
            });
        }

        Percentile.Validators.Add(r =>
        {
            double p = r.GetValueOrDefault<double>();
            if (!(p > 50 && p <= 100))
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"--percentile {p}: expected a value in (50, 100]"));
            }
        });

        command.Validators.Add(r =>
        {
            bool int8 = r.GetValue(Int8);
            if (int8 && r.GetValue(Calibration) is null)
            {
                r.AddError("--int8 needs --calibration SRC (images, IDX or .npy to calibrate on)");
            }

            foreach (Option o in new Option[] { Calibration, KeepFloat, EmitQdq })
            {
                if (!int8 && r.GetResult(o) is { Implicit: false })
                {
                    r.AddError($"{o.Name} applies only with --int8");
                }
            }

            if (r.GetValue(Method) is { } m && !CalibrationMethods.TryParse(m, out _))
            {
                r.AddError($"--calibration-method '{m}': expected minmax, percentile, entropy or mse");
            }

            if (r.GetValue(Eval) is { } eval && !Directory.Exists(eval) && r.GetValue(EvalLabels) is null)
            {
                r.AddError("--eval with an IDX image file needs --eval-labels LABELS (or give a folder with one subfolder per class)");
            }

            foreach (string report in r.GetValue(Report) ?? [])
            {
                if (!report.EndsWith(".html", StringComparison.OrdinalIgnoreCase) && !report.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    r.AddError($"--report '{report}': the file name must end in .html or .json");
                }
            }
        });
    }
}
