using EdgeCnn.Converter.Conversion;
using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Converter.Testing;

/// <summary>One test_data_set_N folder: input_K.pb and output_K.pb, K = 0, 1, ... without gaps.</summary>
internal sealed record BackendDataSet(int Number, IReadOnlyList<ConstTensor> Inputs, IReadOnlyList<ConstTensor> Outputs);

/// <summary>Why a case's test data cannot be used: the status it gives the case and the reason.</summary>
internal sealed class BackendDataException(BackendTestStatus status, string message) : Exception(message)
{
    public BackendTestStatus Status { get; } = status;
}

/// <summary>Reads the test data of an ONNX backend test case (serialized TensorProto files).</summary>
internal static class BackendTestData
{
    private const string SetPrefix = "test_data_set_";

    public static IReadOnlyList<BackendDataSet> ReadAll(string caseDir)
    {
        var sets = new List<BackendDataSet>();
        foreach (string dir in Directory.EnumerateDirectories(caseDir, SetPrefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(dir).AsSpan(SetPrefix.Length), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out int n))
            {
                sets.Add(Read(dir, n));
            }
        }

        if (sets.Count == 0)
        {
            throw new BackendDataException(BackendTestStatus.Error, "no test_data_set_N folder beside model.onnx");
        }

        sets.Sort((a, b) => a.Number.CompareTo(b.Number));
        return sets;
    }

    private static BackendDataSet Read(string dir, int number)
    {
        string set = Path.GetFileName(dir);
        // Integer inputs are read too: they are shapes, axes or sizes the converter binds as constants; an integer input
        // that stays a live model input is refused by the converter.
        List<ConstTensor> inputs = ReadSeries(dir, set, "input", requireFloat: false);
        List<ConstTensor> outputs = ReadSeries(dir, set, "output", requireFloat: false);
        if (outputs.Count == 0)
        {
            throw new BackendDataException(BackendTestStatus.Error, $"{set} has no output_0.pb: nothing to compare against");
        }

        return new BackendDataSet(number, inputs, outputs);
    }

    private static List<ConstTensor> ReadSeries(string dir, string set, string kind, bool requireFloat)
    {
        var list = new List<ConstTensor>();
        for (int k = 0; ; k++)
        {
            string path = Path.Combine(dir, $"{kind}_{k}.pb");
            if (!File.Exists(path))
            {
                break;
            }

            string what = $"{set}/{kind}_{k}.pb";
            TensorProto proto;
            try
            {
                proto = TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new BackendDataException(BackendTestStatus.Error, $"{what} is not a serialized TensorProto ({e.Message})");
            }

            if (requireFloat && (OnnxDataType)proto.DataType is not (OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16))
            {
                throw new BackendDataException(BackendTestStatus.Unsupported,
                    $"{what} is {(OnnxDataType)proto.DataType}; EdgeCnn models take float inputs");
            }

            try
            {
                list.Add(OnnxTensorReader.Read(proto, what));
            }
            catch (OnnxImportException e)
            {
                throw new BackendDataException(e.IsUnsupported ? BackendTestStatus.Unsupported : BackendTestStatus.Error, e.Message);
            }
        }

        int extra = Directory.EnumerateFiles(dir, kind + "_*.pb").Count();
        if (extra != list.Count)
        {
            throw new BackendDataException(BackendTestStatus.Error,
                $"{set} has {extra} {kind}_*.pb files but they are not numbered {kind}_0.pb to {kind}_{extra - 1}.pb");
        }

        return list;
    }
}
