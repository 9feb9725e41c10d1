using System.Globalization;

namespace EdgeCnn.Bench.SideBySide;

/// <summary>An .ecnn to compare with an ONNX model as they are, e.g. an int8 .ecnn with the QDQ model of the same quantization.</summary>
internal sealed record ModelPair(string Ecnn, string Onnx);

/// <summary>Command-line options of edgecnn-sidebyside.</summary>
internal sealed record SideBySideOptions
{
    public const string Usage = """
        edgecnn-sidebyside: EdgeCnn beside ONNX Runtime 1.30 (CPU), interleaved in one process on the same random input

        usage: edgecnn-sidebyside [options] MODEL.onnx|DIR ...
          MODEL.onnx        converted in-process to .ecnn (fp32); DIR: every */model.onnx and *.onnx in it
          --threads N       ONNX Runtime intra-op threads and EdgeCnn threads (default 1; inter-op 1, sequential)
          --iterations N    timed runs of each runtime, alternating which goes first (default 20)
          --warmup N        untimed runs of each first (default 3)
          --layers N        EdgeCnn's N slowest layers per model, with % of the measured peak (default 5; 0: none)
          --pair E.ecnn O.onnx
                            compare a converted .ecnn with an ONNX model as given, e.g. an int8 .ecnn with the
                            `edgecnn-convert convert --int8 --emit-qdq` model (repeatable)
          --int8            also quantize each ONNX model in-process (the converter's quantizer, minmax) and run
                            ONNX Runtime on its QDQ export beside EdgeCnn on the int8 .ecnn, both fed the first
                            calibration sample; calibration data: see --calibration
          --calibration NAME=PATH
                            int8 calibration data of model NAME: an IDX file, a folder of images or .npy files, or a
                            folder of test_data_set_N/input_0.pb (repeatable). Default: the zoo's known data (Fashion-MNIST
                            training IDX, mnist-8 test sets, ../shared/images for Ultraface and the ImageNet models),
                            else test_data_set_N beside the model, else 16 synthetic inputs uniform in [0, 1)
          --preprocess NAME=JSON
                            how images become model NAME's input (the converter's --preprocess JSON; repeatable)
          --int8-dir DIR    keep each int8 pair there as NAME.int8.ecnn + NAME.qdq.onnx (default: a temporary folder)
          --results FILE    write a markdown results file (machine, commit, command, load, table, layers)
          --json FILE       write the figures as JSON
          --ort LIB         the libonnxruntime.so.1 to load (default: fetched from npm into .cache/)
        """;

    public List<string> Models { get; } = [];

    public List<ModelPair> Pairs { get; } = [];

    public int Threads { get; private set; } = 1;

    public int Iterations { get; private set; } = 20;

    public int Warmup { get; private set; } = 3;

    public int Layers { get; private set; } = 5;

    public bool Int8 { get; private set; }

    /// <summary>--calibration NAME=PATH, by model name.</summary>
    public Dictionary<string, string> Calibration { get; } = new(StringComparer.Ordinal);

    /// <summary>--preprocess NAME=JSON, by model name.</summary>
    public Dictionary<string, string> Preprocess { get; } = new(StringComparer.Ordinal);

    public string? Int8Folder { get; private set; }

    public string? ResultsFile { get; private set; }

    public string? JsonFile { get; private set; }

    public string? OrtLibrary { get; private set; }

    public static SideBySideOptions Parse(string[] args)
    {
        var o = new SideBySideOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "--threads": o.Threads = Count(args, ref i, 1); break;
                case "--iterations": o.Iterations = Count(args, ref i, 1); break;
                case "--warmup": o.Warmup = Count(args, ref i, 0); break;
                case "--layers": o.Layers = Count(args, ref i, 0); break;
                case "--int8": o.Int8 = true; break;
                case "--calibration": Named(args, ref i, o.Calibration); break;
                case "--preprocess": Named(args, ref i, o.Preprocess); break;
                case "--int8-dir": o.Int8Folder = Value(args, ref i); break;
                case "--results": o.ResultsFile = Value(args, ref i); break;
                case "--json": o.JsonFile = Value(args, ref i); break;
                case "--ort": o.OrtLibrary = Value(args, ref i); break;
                case "--pair":
                    string ecnn = Value(args, ref i);
                    o.Pairs.Add(new ModelPair(ecnn, Value(args, ref i)));
                    break;
                default:
                    if (a.StartsWith('-'))
                    {
                        throw new UsageException($"unknown option '{a}'");
                    }

                    o.Models.AddRange(Expand(a));
                    break;
            }
        }

        if (o.Models.Count == 0 && o.Pairs.Count == 0)
        {
            throw new UsageException("no model given");
        }

        if (!o.Int8 && (o.Calibration.Count > 0 || o.Preprocess.Count > 0 || o.Int8Folder is not null))
        {
            throw new UsageException("--calibration, --preprocess and --int8-dir apply to --int8 only");
        }

        var names = o.Models.Select(NameOf).ToHashSet(StringComparer.Ordinal);
        foreach (string name in o.Calibration.Keys.Concat(o.Preprocess.Keys).Where(n => !names.Contains(n)))
        {
            throw new UsageException($"--calibration/--preprocess name '{name}' is none of the models: {string.Join(", ", names.Order(StringComparer.Ordinal))}");
        }

        return o;
    }

    /// <summary>A model file as itself; a folder as every */model.onnx (zoo cases) and *.onnx in it, by name.</summary>
    internal static IEnumerable<string> Expand(string path)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (!Directory.Exists(path))
        {
            throw new UsageException($"'{path}' is neither an ONNX file nor a folder");
        }

        var found = Directory.EnumerateFiles(path, "*.onnx")
            .Concat(Directory.EnumerateDirectories(path).Select(d => Path.Combine(d, "model.onnx")).Where(File.Exists))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToList();
        return found.Count > 0 ? found : throw new UsageException($"folder '{path}' holds no *.onnx and no */model.onnx");
    }

    /// <summary>The display name of a model: its folder for zoo cases (…/resnet18/model.onnx), else the file name.</summary>
    internal static string NameOf(string onnx) =>
        string.Equals(Path.GetFileName(onnx), "model.onnx", StringComparison.Ordinal)
            ? Path.GetFileName(Path.GetDirectoryName(onnx)) ?? onnx
            : Path.GetFileNameWithoutExtension(onnx);

    private static string Value(string[] args, ref int i)
    {
        string name = args[i];
        return ++i < args.Length ? args[i] : throw new UsageException($"{name} needs a value");
    }

    /// <summary>NAME=VALUE into <paramref name="into"/>; a name given twice is refused.</summary>
    private static void Named(string[] args, ref int i, Dictionary<string, string> into)
    {
        string option = args[i];
        string v = Value(args, ref i);
        int eq = v.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == v.Length - 1)
        {
            throw new UsageException($"{option} takes NAME=VALUE (NAME as the results name the model), not '{v}'");
        }

        if (!into.TryAdd(v[..eq], v[(eq + 1)..]))
        {
            throw new UsageException($"{option} {v[..eq]}= is given twice");
        }
    }

    private static int Count(string[] args, ref int i, int min)
    {
        string name = args[i];
        string v = Value(args, ref i);
        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= 1_000_000
            ? n
            : throw new UsageException($"{name} must be a whole number from {min} to 1000000, not '{v}'");
    }
}

/// <summary>A command line that cannot be run: the message says what is wrong with it.</summary>
internal sealed class UsageException(string message) : Exception(message);
