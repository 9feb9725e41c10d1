using System.Globalization;
using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Vision.Preprocessing;
using Google.Protobuf;

namespace EdgeCnn.Bench.SideBySide;

/// <summary>Where a model's int8 calibration samples come from.</summary>
internal enum CalibrationKind
{
    /// <summary>An IDX image file, a folder of images or .npy tensors, read by the converter's <see cref="CalibrationSources"/>.</summary>
    Files,

    /// <summary>The input_0.pb of ONNX backend test cases (test_data_set_N folders): model input values as they are.</summary>
    TestSets,

    /// <summary>No data: uniform [0, 1) values from a fixed seed, the same distribution the fp32 comparison feeds.</summary>
    Synthetic,
}

/// <summary>
/// The calibration data of one model and why it was chosen. <see cref="Path"/> is the file or folder (Files), the case
/// folder holding test_data_set_N (TestSets), or null (Synthetic).
/// </summary>
internal sealed record CalibrationChoice(CalibrationKind Kind, string? Path, PreprocessSpec Preprocess, int Limit, string Why);

/// <summary>
/// Chooses calibration data for the in-process int8 conversion: real data where it exists, in this order:
/// 1. <c>--calibration NAME=PATH</c> (with <c>--preprocess NAME=JSON</c>) given on the command line;
/// 2. the benchmark zoo's known models (<see cref="Zoo"/>): Fashion-MNIST on its training IDX, mnist-8 on its test-set
///    inputs, Ultraface and the ImageNet-style torchvision models on the photos in ../shared/images with the
///    preprocessing each was trained with;
/// 3. any other model on the input_0.pb of test_data_set_N folders beside it (an ONNX backend case);
/// 4. else a synthetic distribution: <see cref="SyntheticSamples"/> inputs uniform in [0, 1) from seed 7, stated as such.
/// A zoo entry whose data is absent (a fresh machine without ../shared) falls through to 3 and 4, and says so.
/// </summary>
internal static class Int8Calibration
{
    /// <summary>Samples of the synthetic distribution.</summary>
    public const int SyntheticSamples = 16;

    /// <summary>At most this many samples of an IDX file or image folder (the converter CLI's default).</summary>
    public const int DefaultLimit = 500;

    private const string ImageNetPreprocess =
        """{"scale":0.00392156862745098,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225],"color":"rgb","resize":"bilinear","crop":"center"}""";

    /// <summary>
    /// The zoo's models by name (make_bench_zoo.py's folder names, and the Fashion-MNIST file's own name): the data, relative
    /// to the repository (<c>repo:</c>), to ../shared (<c>shared:</c>) or absolute, the preprocessing, and why.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, (CalibrationKind Kind, string Path, string Preprocess, string Why)> Zoo =
        new Dictionary<string, (CalibrationKind, string, string, string)>(StringComparer.Ordinal)
        {
            ["fashion_mnist"] = (CalibrationKind.Files, "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", """{"scale":0.00392156862745098}""",
                "its training images (IDX), pixels / 255 as in training"),
            ["fashion_mnist_cnn"] = (CalibrationKind.Files, "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", """{"scale":0.00392156862745098}""",
                "its training images (IDX), pixels / 255 as in training"),
            ["mnist-8"] = (CalibrationKind.TestSets, "shared:models/mnist-8", "{}",
                "its test-set inputs (test_data_set_N/input_0.pb: pixel values 0-255, as the model takes them)"),
            ["ultraface_rfb_320"] = (CalibrationKind.Files, "shared:images", """{"scale":1,"mean":[127],"std":[128],"color":"rgb","resize":"bilinear"}""",
                "the photos in ../shared/images, resized to 320x240, RGB, (v - 127) / 128 as Ultraface expects"),
            ["squeezenet1_1"] = (CalibrationKind.Files, "shared:images", ImageNetPreprocess,
                "the photos in ../shared/images with torchvision's ImageNet preprocessing (centre crop, resize, RGB / 255, mean/std)"),
            ["mobilenet_v2"] = (CalibrationKind.Files, "shared:images", ImageNetPreprocess,
                "the photos in ../shared/images with torchvision's ImageNet preprocessing (centre crop, resize, RGB / 255, mean/std)"),
            ["resnet18"] = (CalibrationKind.Files, "shared:images", ImageNetPreprocess,
                "the photos in ../shared/images with torchvision's ImageNet preprocessing (centre crop, resize, RGB / 255, mean/std)"),
        };

    /// <param name="name">The model's display name (<see cref="SideBySideOptions.NameOf"/>).</param>
    /// <param name="onnx">The model file; test_data_set_N folders beside it are used when nothing better is known.</param>
    /// <param name="repositoryRoot">The repository, whose parent holds ../shared; null when unknown.</param>
    public static CalibrationChoice Choose(string name, string onnx, string? repositoryRoot, SideBySideOptions options)
    {
        PreprocessSpec Spec(string json, string what)
        {
            try
            {
                return PreprocessSpec.Parse(json);
            }
            catch (FormatException e)
            {
                throw new UsageException($"{what} for '{name}': {e.Message}");
            }
        }

        string? given = options.Preprocess.GetValueOrDefault(name);
        if (options.Calibration.TryGetValue(name, out string? path))
        {
            return Exists(path)
                ? new CalibrationChoice(KindOf(path), path, given is null ? PreprocessSpec.Identity : Spec(given, "--preprocess"), DefaultLimit,
                    $"--calibration {name}={path}" + (given is null ? " (no --preprocess: values as they are)" : $" with --preprocess {given}"))
                : throw new UsageException($"--calibration {name}={path}: no such file or folder");
        }

        string? missing = null;
        if (Zoo.TryGetValue(name, out var zoo))
        {
            string? resolved = Resolve(zoo.Path, repositoryRoot);
            if (resolved is not null && Exists(resolved) && (zoo.Kind != CalibrationKind.TestSets || TestSetFolders(resolved).Length > 0))
            {
                return new CalibrationChoice(zoo.Kind, resolved, Spec(given ?? zoo.Preprocess, "preprocessing"), DefaultLimit, zoo.Why);
            }

            missing = $"{zoo.Path} is absent, so not {zoo.Why}; ";
        }

        string? folder = System.IO.Path.GetDirectoryName(onnx);
        if (folder is not null && TestSetFolders(folder).Length > 0)
        {
            return new CalibrationChoice(CalibrationKind.TestSets, folder, PreprocessSpec.Identity, DefaultLimit,
                missing + "the test-set inputs beside the model (test_data_set_N/input_0.pb)");
        }

        return new CalibrationChoice(CalibrationKind.Synthetic, null, PreprocessSpec.Identity, SyntheticSamples,
            missing + $"no data known for this model: a synthetic distribution, {SyntheticSamples} inputs uniform in [0, 1) (seed 7)");
    }

    /// <summary>The samples of a choice for a model whose one input has <paramref name="inputShape"/> (ONNX order).</summary>
    public static ICalibrationSource Open(CalibrationChoice choice, int[] inputShape)
    {
        int size = inputShape.Aggregate(1, (a, d) => checked(a * d));
        switch (choice.Kind)
        {
            case CalibrationKind.Files:
                return CalibrationSources.Open(choice.Path!, choice.Preprocess, inputShape, choice.Limit);
            case CalibrationKind.TestSets:
                string[] sets = TestSetFolders(choice.Path!).Take(choice.Limit).ToArray();
                return new TensorCalibrationSource(sets.Select(s => ReadInput(System.IO.Path.Combine(s, "input_0.pb"), size)).ToArray(),
                    $"test-set inputs in {choice.Path}");
            default:
                var random = new Random(7);
                var samples = new float[choice.Limit][];
                for (int s = 0; s < samples.Length; s++)
                {
                    samples[s] = new float[size];
                    for (int k = 0; k < size; k++)
                    {
                        samples[s][k] = random.NextSingle();
                    }
                }

                return new TensorCalibrationSource(samples, "synthetic inputs uniform in [0, 1) (seed 7)");
        }
    }

    /// <summary>test_data_set_N folders under <paramref name="folder"/> that hold an input_0.pb, by N.</summary>
    internal static string[] TestSetFolders(string folder) =>
        !Directory.Exists(folder)
            ? []
            : Directory.EnumerateDirectories(folder, "test_data_set_*")
                .Select(d => (Dir: d, N: int.TryParse(System.IO.Path.GetFileName(d).AsSpan("test_data_set_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1))
                .Where(d => d.N >= 0 && File.Exists(System.IO.Path.Combine(d.Dir, "input_0.pb")))
                .OrderBy(d => d.N)
                .Select(d => d.Dir)
                .ToArray();

    /// <summary>One serialized float TensorProto of exactly <paramref name="size"/> values.</summary>
    internal static float[] ReadInput(string path, int size)
    {
        ConstTensor t;
        try
        {
            t = OnnxTensorReader.Read(TensorProto.Parser.ParseFrom(File.ReadAllBytes(path)), path);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CalibrationException($"{path}: not a serialized ONNX TensorProto ({e.Message})", e);
        }

        if (t.Floats is not { } values)
        {
            throw new CalibrationException($"{path}: a {t.Type} tensor; calibration needs float model inputs");
        }

        return values.Length == size
            ? values
            : throw new CalibrationException($"{path}: {values.Length} values (shape [{string.Join(", ", t.Shape)}]); the model input holds {size}");
    }

    private static string? Resolve(string path, string? root) =>
        path.StartsWith("shared:", StringComparison.Ordinal)
            ? root is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared", path["shared:".Length..]))
            : path;

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static CalibrationKind KindOf(string path) =>
        Directory.Exists(path) && TestSetFolders(path).Length > 0 ? CalibrationKind.TestSets : CalibrationKind.Files;
}
