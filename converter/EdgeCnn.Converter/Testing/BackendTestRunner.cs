using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Converter.Testing;

/// <summary>
/// Runs ONNX backend test cases (onnx/backend/test/data/node/*, or any folder laid out the same way) through the converter
/// and the runtime. A case is a folder holding model.onnx and test_data_set_N/input_K.pb, output_K.pb (serialized
/// TensorProto). Each case is converted, loaded, fed every data set (input_K is the model's K-th non-constant graph input)
/// and every output compared with the expected one within the tolerances. A case never throws: whatever goes wrong is
/// its result (Unsupported for what EdgeCnn does not do, Error for anything unreadable or inconsistent).
/// </summary>
public sealed class BackendTestRunner
{
    public const string ModelFileName = "model.onnx";

    public BackendTestRunner(BackendTestOptions? options = null)
    {
        Options = options ?? new BackendTestOptions();
    }

    public BackendTestOptions Options { get; }

    /// <summary>
    /// The case folders under a path: the path itself when it holds model.onnx (a path to a model.onnx file means its
    /// folder), else every folder below it holding one, in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> FindCases(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path) && string.Equals(Path.GetFileName(path), ModelFileName, StringComparison.Ordinal))
        {
            return [Path.GetDirectoryName(Path.GetFullPath(path))!];
        }

        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{path}: no such folder (give a test case folder holding {ModelFileName}, or a folder of them)");
        }

        if (File.Exists(Path.Combine(path, ModelFileName)))
        {
            return [path];
        }

        return Directory.EnumerateFiles(path, ModelFileName, SearchOption.AllDirectories)
            .Select(f => Path.GetDirectoryName(f)!)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Runs every case found under the paths; onCase sees each result as soon as it is known.</summary>
    public BackendTestReport Run(IEnumerable<string> paths, Action<BackendCaseResult>? onCase = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new List<BackendCaseResult>();
        foreach (string root in paths)
        {
            foreach (string dir in FindCases(root))
            {
                BackendCaseResult r = RunCase(dir, CaseName(root, dir));
                onCase?.Invoke(r);
                results.Add(r);
            }
        }

        return new BackendTestReport(results);
    }

    /// <summary>Runs one case folder; name defaults to the folder's name.</summary>
    public BackendCaseResult RunCase(string caseDir, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(caseDir);
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(caseDir));
        var c = new BackendCaseResult(name, caseDir, BackendTestStatus.Error, []);

        ModelProto model;
        try
        {
            model = OnnxModelFile.Load(Path.Combine(caseDir, ModelFileName));
        }
        catch (OnnxImportException e)
        {
            return c with { Status = e.IsUnsupported ? BackendTestStatus.Unsupported : BackendTestStatus.Error, Reason = e.Message };
        }
        catch (IOException e)
        {
            return c with { Reason = $"{ModelFileName}: {e.Message}" };
        }

        c = c with { OpTypes = OpTypes(model) };
        if (model.Graph.Input.Concat(model.Graph.Output).FirstOrDefault(v => v.Type?.TensorType is null) is { } notTensor)
        {
            // its test data is a SequenceProto, MapProto or OptionalProto: not readable as a tensor
            return c with
            {
                Status = BackendTestStatus.Unsupported,
                Reason = $"graph input or output '{notTensor.Name}' is not a tensor (a sequence, map or optional); EdgeCnn runs tensors only",
            };
        }

        IReadOnlyList<BackendDataSet> sets;
        try
        {
            sets = BackendTestData.ReadAll(caseDir);
        }
        catch (BackendDataException e)
        {
            return c with { Status = e.Status, Reason = e.Message };
        }
        catch (IOException e)
        {
            return c with { Reason = $"test data: {e.Message}" };
        }

        // ONNX node tests feed weights as graph inputs; the runtime needs them constant. Bind exactly the inputs the
        // converter names as required constants, to each data set's values (a model per data set when any are bound).
        List<string> graphInputs = GraphInputs(model);
        var bound = new List<int>();
        Dictionary<string, int[]> shapes = SymbolicInputShapes(model, sets[0]);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                ConversionResult converted = OnnxConverter.Convert(model, ConversionFor(shapes, graphInputs, bound, sets[0]));
                if (bound.Count == 0)
                {
                    using InferenceSession session = InferenceSession.Load(converted.Ecnn);
                    return RunDataSets(c with { DataSets = sets.Count }, session, converted, sets);
                }

                return RunBoundDataSets(c with { DataSets = sets.Count }, model, shapes, graphInputs, bound, sets);
            }
            catch (OnnxImportException e) when (e.ConstantRequired is { } required && graphInputs.IndexOf(required) is int k && k >= 0
                && k < sets[0].Inputs.Count && !bound.Contains(k) && attempt < graphInputs.Count)
            {
                bound.Add(k);
            }
            catch (OnnxImportException e)
            {
                return c with { Status = e.IsUnsupported ? BackendTestStatus.Unsupported : BackendTestStatus.Error, Reason = e.Message };
            }
            catch (BackendDataException e)
            {
                return c with { Status = e.Status, Reason = e.Message };
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return c with { Reason = $"the converter or runtime threw {e.GetType().Name}: {e.Message}" };
            }
        }
    }

    /// <summary>Converts and runs once per data set, with the bound inputs fixed to that set's values.</summary>
    private BackendCaseResult RunBoundDataSets(BackendCaseResult c, ModelProto model, Dictionary<string, int[]> shapes,
        List<string> graphInputs, List<int> bound, IReadOnlyList<BackendDataSet> sets)
    {
        BackendCaseResult result = c with { Status = BackendTestStatus.Passed, MaxAbsError = 0 };
        foreach (BackendDataSet set in sets)
        {
            ConversionResult converted = OnnxConverter.Convert(model, ConversionFor(shapes, graphInputs, bound, set));
            var live = new BackendDataSet(set.Number, set.Inputs.Where((_, i) => !bound.Contains(i)).ToList(), set.Outputs);
            using InferenceSession session = InferenceSession.Load(converted.Ecnn);
            BackendCaseResult one = RunDataSets(c, session, converted, [live]);
            if (one.Status != BackendTestStatus.Passed || one.MaxAbsError > result.MaxAbsError)
            {
                result = one with { DataSets = sets.Count, MaxAbsError = Math.Max(one.MaxAbsError, result.MaxAbsError) };
            }

            if (one.Status != BackendTestStatus.Passed)
            {
                return result;
            }
        }

        return result;
    }

    private static ConversionOptions ConversionFor(Dictionary<string, int[]> shapes, List<string> graphInputs, List<int> bound, BackendDataSet set) => new()
    {
        InputShapes = shapes,
        FixedInputs = bound.ToDictionary(k => graphInputs[k], k => set.Inputs[k], StringComparer.Ordinal),
    };

    private static List<string> GraphInputs(ModelProto model)
    {
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return model.Graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToList();
    }

    private BackendCaseResult RunDataSets(BackendCaseResult c, InferenceSession session, ConversionResult converted,
        IReadOnlyList<BackendDataSet> sets)
    {
        double maxAbs = 0;
        WorstElement? worst = null;
        double worstExcess = double.NegativeInfinity;
        foreach (BackendDataSet set in sets)
        {
            Feed(session, converted, set);
            session.Run();
            if (session.Outputs.Count != set.Outputs.Count)
            {
                throw new BackendDataException(BackendTestStatus.Error,
                    $"test_data_set_{set.Number} has {set.Outputs.Count} outputs; the converted model has {session.Outputs.Count}");
            }

            for (int o = 0; o < set.Outputs.Count; o++)
            {
                string outputName = o < converted.OutputNames.Count ? converted.OutputNames[o] : session.Outputs[o].Name;
                float[] expected = set.Outputs[o].AsFloats();
                float[] actual = ReadOutput(session, o, set.Outputs[o], set.Number, outputName);
                OutputComparer.Outcome r = OutputComparer.Compare(expected, actual, Options);
                maxAbs = Math.Max(maxAbs, r.MaxAbsError);
                if (expected.Length > 0 && (worst is null || r.WorstExcess > worstExcess))
                {
                    worstExcess = r.WorstExcess;
                    worst = new WorstElement(set.Number, outputName, r.WorstIndex, expected[r.WorstIndex], actual[r.WorstIndex]);
                }
            }
        }

        return c with
        {
            Status = worstExcess > 0 ? BackendTestStatus.Failed : BackendTestStatus.Passed,
            MaxAbsError = maxAbs,
            Worst = worst,
        };
    }

    private static void Feed(InferenceSession session, ConversionResult converted, BackendDataSet set)
    {
        if (set.Inputs.Count != session.Inputs.Count)
        {
            throw new BackendDataException(BackendTestStatus.Error,
                $"test_data_set_{set.Number} has {set.Inputs.Count} inputs; the model takes {session.Inputs.Count} " +
                $"({string.Join(", ", converted.InputNames)})");
        }

        for (int i = 0; i < set.Inputs.Count; i++)
        {
            SessionTensor input = session.Inputs[i];
            ConstTensor data = set.Inputs[i];
            if (input.Type != DataType.Float32)
            {
                throw new BackendDataException(BackendTestStatus.Unsupported, $"input '{input.Name}' of the converted model is {input.Type.Name()}");
            }

            if (!data.IsFloat)
            {
                throw new BackendDataException(BackendTestStatus.Error,
                    $"test_data_set_{set.Number}/input_{i}.pb is {data.Type}; the model's input '{input.Name}' is float");
            }

            if (!data.Shape.Select(d => (long)d).SequenceEqual(input.Shape.Select(d => (long)d)))
            {
                throw new BackendDataException(BackendTestStatus.Error,
                    $"test_data_set_{set.Number}/input_{i}.pb has shape [{string.Join(',', data.Shape)}]; " +
                    $"the converted model's input '{input.Name}' is [{string.Join(',', input.Shape)}]");
            }

            data.AsFloats().CopyTo(session.Input<float>(i));
        }
    }

    private static float[] ReadOutput(InferenceSession session, int o, ConstTensor expected, int set, string name)
    {
        SessionTensor output = session.Outputs[o];
        if (!expected.Shape.Select(d => (long)d).SequenceEqual(output.Shape.Select(d => (long)d)))
        {
            throw new BackendDataException(BackendTestStatus.Error,
                $"test_data_set_{set}/output_{o}.pb has shape [{string.Join(',', expected.Shape)}]; " +
                $"the converted model's output '{name}' is [{string.Join(',', output.Shape)}]");
        }

        return output.Type switch
        {
            DataType.Float32 => session.Output<float>(o).ToArray(),
            DataType.Int32 => ToFloats(session.Output<int>(o)),
            DataType.Int8 => ToFloats(session.Output<sbyte>(o)),
            _ => throw new BackendDataException(BackendTestStatus.Unsupported, $"output '{name}' is {output.Type}"),
        };
    }

    private static float[] ToFloats<T>(ReadOnlySpan<T> values)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var r = new float[values.Length];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = float.CreateChecked(values[i]);
        }

        return r;
    }

    /// <summary>The op types of a model's nodes, once each, ordinal order; ops of other domains as "domain:Op".</summary>
    private static string[] OpTypes(ModelProto model) =>
        model.Graph.Node
            .Select(n => n.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Domain}:{n.OpType}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Shapes from the first data set for graph inputs whose declared shape is missing or symbolic.</summary>
    private static Dictionary<string, int[]> SymbolicInputShapes(ModelProto model, BackendDataSet first)
    {
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        int k = 0;
        foreach (ValueInfoProto input in model.Graph.Input)
        {
            if (initializers.Contains(input.Name))
            {
                continue;
            }

            if (k < first.Inputs.Count && input.Type?.TensorType is { } t &&
                (t.Shape is null || t.Shape.Dim.Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue)))
            {
                shapes[input.Name] = first.Inputs[k].ShapeAsInts();
            }

            k++;
        }

        return shapes;
    }

    private static string CaseName(string root, string dir)
    {
        string rel = Path.GetRelativePath(root, dir);
        return string.Equals(rel, ".", StringComparison.Ordinal) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir))) : rel.Replace('\\', '/');
    }
}
