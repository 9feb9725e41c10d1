using EdgeCnn.Converter.Onnx;
using EdgeCnn.Converter.Onnx.Proto;
using EdgeCnn.Vision.Postprocessing;
using Xunit.Abstractions;

namespace EdgeCnn.App.Tests.Pipeline;

/// <summary>
/// Ultraface RFB-320 from ../shared/models (extra material beside the clone, used when present): our priors against the
/// prior constants inside the released ONNX model, and decoding + NMS of ONNX Runtime's outputs for a real photo.
/// </summary>
public class UltrafaceOutputTests(ITestOutputHelper output)
{
    [Fact]
    public void Priors_equal_the_constants_in_the_released_model_and_ort_outputs_give_one_face()
    {
        string? dir = Find("shared/models/ultraface-rfb-320");
        if (dir is null)
        {
            output.WriteLine("shared/models/ultraface-rfb-320 is not beside the repository: nothing to compare against");
            return;
        }

        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
        float[] priors = SsdDecoder.UltrafacePriors(320, 240);
        float[][] constants = [.. model.Graph.Initializer.Where(t => t.Dims.SequenceEqual([1L, 4420, 2])).Select(t => OnnxTensorReader.Read(t, t.Name).Floats!)];
        float[] centres = [.. Enumerable.Range(0, 4420).SelectMany(a => new[] { priors[4 * a], priors[(4 * a) + 1] })];
        float[] sizes = [.. Enumerable.Range(0, 4420).SelectMany(a => new[] { priors[(4 * a) + 2], priors[(4 * a) + 3] })];
        Assert.Contains(constants, c => c.Zip(centres, (x, y) => Math.Abs(x - y)).Max() < 1e-6f);
        Assert.Contains(constants, c => c.Zip(sizes, (x, y) => Math.Abs(x - y)).Max() < 1e-6f);

        float[] scores = Read(Path.Combine(dir, "test_data_set_0", "output_0.pb"));
        float[] boxes = Read(Path.Combine(dir, "test_data_set_0", "output_1.pb"));
        var decoder = new SsdDecoder(4420, 2, BoxEncoding.Corners);
        var faces = new Detection[16];
        int n = decoder.Decode(scores, boxes, 0.7f, 0.3f, faces);
        output.WriteLine($"{n} face(s): {string.Join("; ", faces.Take(n))}");
        Assert.Equal(1, n); // 8 anchors above 0.7 on the one face in the photo collapse to one box
        Detection face = faces[0];
        Assert.InRange(face.Score, 0.99f, 1f);
        Assert.InRange((face.X1 + face.X2) / 2, 0.40f, 0.48f);
        Assert.InRange((face.Y1 + face.Y2) / 2, 0.18f, 0.28f);
    }

    private static float[] Read(string path)
    {
        TensorProto t = TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        return OnnxTensorReader.Read(t, path).Floats!;
    }

    private static string? Find(string relative)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
