namespace EdgeCnn.Bench.OnnxRuntime.Tests;

internal static class TestPaths
{
    public static string Repo(string relative)
    {
        string root = OnnxRuntimePackage.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new DirectoryNotFoundException("EdgeCnn.sln not found above the test binary");
        return Path.Combine(root, relative);
    }

    public static string FashionModel => Repo("converter/training/fashion_mnist_cnn.onnx");

    public static string FashionCase => Repo("converter/training/fashion_mnist_case");
}
