using EdgeCnn.Converter.Calibration;
using EdgeCnn.Converter.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Bench.SideBySide.Tests;

/// <summary>
/// Which data an in-process int8 conversion calibrates on: the command line first, then the zoo's real data under
/// ../shared, then test sets beside the model, then the synthetic distribution; each choice says why, and a file that
/// cannot be used is refused by name.
/// </summary>
public sealed class Int8CalibrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-sbs-cal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Repo => Directory.CreateDirectory(Path.Combine(_dir, "repo")).FullName;

    private string Model(string name)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "zoo", name)).FullName;
        string path = Path.Combine(folder, "model.onnx");
        File.WriteAllText(path, "");
        return path;
    }

    private static void WriteInput(string caseFolder, int set, float[] values, long[] dims)
    {
        string folder = Directory.CreateDirectory(Path.Combine(caseFolder, $"test_data_set_{set}")).FullName;
        var t = new TensorProto { DataType = 1, Name = "x" };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        File.WriteAllBytes(Path.Combine(folder, "input_0.pb"), t.ToByteArray());
    }

    [Fact]
    public void A_zoo_model_takes_the_shared_photos_with_its_own_preprocessing_and_without_them_falls_through()
    {
        string images = Directory.CreateDirectory(Path.Combine(_dir, "shared", "images")).FullName;
        File.WriteAllText(Path.Combine(images, "a.png"), "");
        SideBySideOptions none = SideBySideOptions.Parse([Model("resnet18"), "--int8"]);

        CalibrationChoice resnet = Int8Calibration.Choose("resnet18", Model("resnet18"), Repo, none);
        Assert.Equal((CalibrationKind.Files, images), (resnet.Kind, resnet.Path));
        Assert.Equal(0.229f, resnet.Preprocess.StdOf(0));
        CalibrationChoice face = Int8Calibration.Choose("ultraface_rfb_320", Model("ultraface_rfb_320"), Repo, none);
        Assert.Equal((127f, 128f), (face.Preprocess.MeanOf(0), face.Preprocess.StdOf(0)));

        Directory.Delete(images, recursive: true);
        CalibrationChoice missing = Int8Calibration.Choose("resnet18", Model("resnet18"), Repo, none);
        Assert.Equal(CalibrationKind.Synthetic, missing.Kind);
        Assert.StartsWith("shared:images is absent, so not the photos", missing.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_test_sets_beside_it_is_calibrated_on_their_inputs_in_set_order()
    {
        string model = Model("unseen");
        string folder = Path.GetDirectoryName(model)!;
        WriteInput(folder, 10, [5, 6, 7, 8], [1, 4]);
        WriteInput(folder, 2, [1, 2, 3, 4], [1, 4]);
        CalibrationChoice c = Int8Calibration.Choose("unseen", model, Repo, SideBySideOptions.Parse([model, "--int8"]));
        Assert.Equal(CalibrationKind.TestSets, c.Kind);

        ICalibrationSource source = Int8Calibration.Open(c, [1, 4]);
        Assert.Equal(2, source.Count);
        float[] first = new float[4], second = new float[4];
        source.Fill(0, first);
        source.Fill(1, second);
        Assert.Equal([1f, 2, 3, 4], first);
        Assert.Equal([5f, 6, 7, 8], second);

        var e = Assert.Throws<CalibrationException>(() => Int8Calibration.Open(c, [1, 5]));
        Assert.Contains("test_data_set_2", e.Message, StringComparison.Ordinal);
        Assert.Contains("4 values (shape [1, 4]); the model input holds 5", e.Message, StringComparison.Ordinal);
        File.WriteAllBytes(Path.Combine(folder, "test_data_set_2", "input_0.pb"), [0xff, 0xff, 0xff]);
        Assert.Contains("not a serialized ONNX TensorProto", Assert.Throws<CalibrationException>(() => Int8Calibration.Open(c, [1, 4])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_data_the_synthetic_distribution_is_seeded_uniform_and_says_so()
    {
        string model = Model("unseen");
        CalibrationChoice c = Int8Calibration.Choose("unseen", model, null, SideBySideOptions.Parse([model, "--int8"]));
        Assert.Equal(CalibrationKind.Synthetic, c.Kind);
        Assert.Contains("synthetic distribution, 16 inputs uniform in [0, 1) (seed 7)", c.Why, StringComparison.Ordinal);

        ICalibrationSource a = Int8Calibration.Open(c, [1, 3, 5, 5]), b = Int8Calibration.Open(c, [1, 3, 5, 5]);
        Assert.Equal(Int8Calibration.SyntheticSamples, a.Count);
        float[] x = new float[75], y = new float[75], z = new float[75];
        a.Fill(3, x);
        b.Fill(3, y);
        a.Fill(4, z);
        Assert.Equal(x, y);
        Assert.NotEqual(x, z);
        Assert.All(x, v => Assert.InRange(v, 0f, 0.99999994f));
        Assert.True(x.Max() - x.Min() > 0.5f, "75 uniform values span most of [0, 1)");
    }

    [Fact]
    public void The_command_line_wins_and_what_it_names_must_exist_and_parse()
    {
        string model = Model("fashion_mnist");
        string data = Path.Combine(_dir, "images.idx.gz");
        File.WriteAllText(data, "");
        CalibrationChoice c = Int8Calibration.Choose("fashion_mnist", model, Repo,
            SideBySideOptions.Parse([model, "--int8", "--calibration", $"fashion_mnist={data}", "--preprocess", "fashion_mnist={\"scale\":0.5}"]));
        Assert.Equal((CalibrationKind.Files, data, 0.5f), (c.Kind, c.Path, c.Preprocess.Scale));
        Assert.StartsWith("--calibration fashion_mnist=", c.Why, StringComparison.Ordinal);

        var absent = Assert.Throws<UsageException>(() => Int8Calibration.Choose("fashion_mnist", model, Repo,
            SideBySideOptions.Parse([model, "--int8", "--calibration", "fashion_mnist=" + Path.Combine(_dir, "absent")])));
        Assert.Contains("no such file or folder", absent.Message, StringComparison.Ordinal);
        var json = Assert.Throws<UsageException>(() => Int8Calibration.Choose("fashion_mnist", model, Repo,
            SideBySideOptions.Parse([model, "--int8", "--preprocess", "fashion_mnist={\"resize\":\"cubic\"}"])));
        Assert.Contains("$.resize", json.Message, StringComparison.Ordinal);
    }
}
