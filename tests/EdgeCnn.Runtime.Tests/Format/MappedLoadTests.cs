using EdgeCnn.Runtime.Format;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Tests.Format;

public sealed class MappedLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-mmap").FullName;

    [Fact]
    public unsafe void Weights_of_a_mapped_file_are_used_in_place_and_64_byte_aligned()
    {
        string path = Path.Combine(_dir, "cnn.ecnn");
        byte[] bytes = GoldenModels.Float32Cnn();
        File.WriteAllBytes(path, bytes);
        using EcnnModel model = EcnnModel.Load(path);
        byte* start = model.Buffer.Pointer;
        for (int t = 0; t < model.Tensors.Count; t++)
        {
            if (!model.Tensors[t].IsConstant)
            {
                continue;
            }

            byte* p = model.ConstantPointer(t);
            Assert.True((nuint)p % 64 == 0, $"{model.Tensors[t].Name} at {(nuint)p:X} is not 64-byte aligned");
            Assert.True(p >= start && p + model.Tensors[t].DataBytes <= start + model.FileBytes, "constant is not inside the mapped file");
        }

        float[] fromFile = model.Constant<float>(model.FindTensor("fc.w")).ToArray();
        Assert.Equal(Enumerable.Range(0, 3 * 72).Select(i => ((i % 5) - 2) * 0.05f), fromFile);
    }

    [Fact]
    public void Mapped_and_copied_loads_compute_the_same()
    {
        string path = Path.Combine(_dir, "cnn.ecnn");
        byte[] bytes = GoldenModels.Float32Cnn();
        File.WriteAllBytes(path, bytes);
        using InferenceSession mapped = InferenceSession.Load(path);
        using InferenceSession copied = InferenceSession.Load(bytes);
        foreach (InferenceSession s in new[] { mapped, copied })
        {
            Span<float> x = s.Input<float>(0);
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (i % 11) - 5;
            }

            s.Run();
        }

        Assert.Equal(copied.Output<float>(0).ToArray(), mapped.Output<float>(0).ToArray());
        Assert.Equal(1f, copied.Output<float>(0).ToArray().Sum(), 4);
    }

    [Fact]
    public void Empty_and_missing_files_are_clear_errors()
    {
        string empty = Path.Combine(_dir, "empty.ecnn");
        File.WriteAllBytes(empty, []);
        Assert.Equal("file.size", Assert.Throws<EcnnFormatException>(() => EcnnModel.Load(empty)).Rule);
        Assert.Throws<FileNotFoundException>(() => EcnnModel.Load(Path.Combine(_dir, "missing.ecnn")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
