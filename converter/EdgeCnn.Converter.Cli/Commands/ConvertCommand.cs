using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using EdgeCnn.Converter.Conversion;

namespace EdgeCnn.Converter.Cli.Commands;

/// <summary>`edgecnn-convert convert MODEL.onnx -o OUT.ecnn [--input-shape NAME=1,3,224,224 ...]`.</summary>
internal static class ConvertCommand
{
    public static readonly string[] Examples =
    [
        "edgecnn-convert convert mobilenet.onnx -o mobilenet.ecnn",
        "edgecnn-convert convert detector.onnx -o detector.ecnn --input-shape images=1,3,320,320",
        "edgecnn-convert convert cnn.onnx -o cnn.ecnn --metadata labels=cat,dog --metadata preprocess={\"scale\":0.00392157}",
        "edgecnn-convert convert fashion.onnx -o fashion-int8.ecnn --int8 --calibration train-images-idx3-ubyte.gz " +
            "--preprocess {\"scale\":0.00392157} --eval t10k-images-idx3-ubyte.gz --eval-labels t10k-labels-idx1-ubyte.gz --report report.html",
        "edgecnn-convert convert detector.onnx -o detector.ecnn --int8 --calibration photos/ --keep-float auto --report r.json --report r.html",
    ];

    public static Command Create()
    {
        var model = new Argument<string>("model")
        {
            Description = "The ONNX model to convert (a self-contained .onnx file, opset 7 to 22).",
            HelpName = "MODEL.onnx",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the converted model (.ecnn, the format the EdgeCnn runtime loads).",
            HelpName = "OUT.ecnn",
            Required = true,
        };
        var shapes = new Option<string[]>("--input-shape")
        {
            Description = "The shape of a graph input whose dims are symbolic, in ONNX (channels-first) order; repeat for " +
                "several inputs. A symbolic batch dim alone defaults to 1 and needs no option.",
            HelpName = "NAME=D0,D1,...",
        };
        shapes.Validators.Add(r =>
        {
            foreach (Token token in r.Tokens)
            {
                if (!TryParseShape(token.Value, out _, out _, out string? error))
                {
                    r.AddError(error);
                }
            }
        });

        var metadata = new Option<string[]>("--metadata")
        {
            Description = "A KEY=VALUE pair stored in the model for the device: `labels` (comma-separated class names) and " +
                "`preprocess` (JSON: layout, scale, mean, std) are read by edgecnn-run; repeat for several.",
            HelpName = "KEY=VALUE",
        };
        metadata.Validators.Add(r =>
        {
            foreach (Token token in r.Tokens)
            {
                if (token.Value.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    r.AddError($"--metadata '{token.Value}': expected KEY=VALUE");
                }
            }
        });

        var int8 = new Int8CliOptions();
        var command = new Command("convert", "Convert an ONNX model to an .ecnn file and print what the conversion did " +
            "(ONNX nodes, runtime nodes, nodes folded into constants, layout transposes inserted, batch norms, activations and pads fused, file size).")
        {
            model, output, shapes, metadata,
        };
        foreach (Option o in int8.All)
        {
            command.Options.Add(o);
        }

        int8.AddValidators(command);
        command.SetAction(pr => Run(pr, int8, pr.GetRequiredValue(model), pr.GetRequiredValue(output), pr.GetValue(shapes) ?? [],
            pr.GetValue(metadata) ?? [], new CliOutput(pr.InvocationConfiguration.Output)));
        return command;
    }

    /// <summary>Parses "NAME=1,3,224,224".</summary>
    public static bool TryParseShape(string text, out string name, out int[] dims, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        name = "";
        dims = [];
        int eq = text.LastIndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
        {
            error = $"--input-shape '{text}': expected NAME=D0,D1,... (for example images=1,3,224,224)";
            return false;
        }

        name = text[..eq];
        string[] parts = text[(eq + 1)..].Split(',');
        dims = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] <= 0)
            {
                error = $"--input-shape '{text}': dim '{parts[i]}' is not a positive integer";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static int Run(ParseResult pr, Int8CliOptions int8, string modelPath, string outputPath, string[] shapeArgs, string[] metadataArgs,
        CliOutput output)
    {
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (string s in shapeArgs)
        {
            _ = TryParseShape(s, out string name, out int[] dims, out _); // validated at parse time
            shapes[name] = dims;
        }

        var metadata = metadataArgs.Select(m => new KeyValuePair<string, string>(m[..m.IndexOf('=', StringComparison.Ordinal)],
            m[(m.IndexOf('=', StringComparison.Ordinal) + 1)..])).ToList();
        string? preprocess = PreprocessArgument(pr.GetValue(int8.Preprocess));
        if (preprocess is not null)
        {
            metadata.RemoveAll(kv => string.Equals(kv.Key, "preprocess", StringComparison.Ordinal));
            metadata.Add(new("preprocess", preprocess));
        }

        ConversionResult r = OnnxConverter.Convert(modelPath, new ConversionOptions { InputShapes = shapes, Metadata = metadata });
        if (pr.GetValue(int8.Int8))
        {
            output.Line(string.Create(CultureInfo.InvariantCulture, $"{modelPath}: fp32 graph of {r.RuntimeNodes} runtime nodes, {r.Ecnn.Length:N0} bytes"));
            string? spec = preprocess ?? metadata.LastOrDefault(kv => string.Equals(kv.Key, "preprocess", StringComparison.Ordinal)).Value;
            return ConvertInt8.Run(pr, int8, modelPath, outputPath, r, spec, output);
        }

        File.WriteAllBytes(outputPath, r.Ecnn);
        string imported = r.QdqLayersFused > 0 ? $"; {r.QdqLayersFused.ToString(CultureInfo.InvariantCulture)} QDQ layers imported as int8" : "";
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"{modelPath} -> {outputPath}: {r.OnnxNodes} ONNX nodes -> {r.RuntimeNodes} runtime nodes ({r.FoldedNodes} folded, " +
            $"{r.LayoutTransposes} layout transposes; fused {r.Optimizations.BatchNormsFolded} batch norms, {r.Optimizations.ClampedBatchNormsFolded} more after an activation (as per-channel clamps), {r.Optimizations.BiasesFolded} bias adds, " +
            $"{r.Optimizations.ActivationsFused} activations, {r.Optimizations.PadsFused} pads{imported}), {r.Ecnn.Length:N0} bytes"), "green");
        return 0;
    }

    /// <summary>--preprocess: inline JSON, or the path of a JSON file; validated by parsing.</summary>
    private static string? PreprocessArgument(string? value)
    {
        if (value is null)
        {
            return null;
        }

        string json = value.TrimStart().StartsWith('{') ? value : File.ReadAllText(value);
        try
        {
            _ = EdgeCnn.Vision.Preprocessing.PreprocessSpec.Parse(json);
        }
        catch (FormatException e)
        {
            throw new Calibration.CalibrationException($"--preprocess: {e.Message}", e);
        }

        return json.Trim();
    }
}
