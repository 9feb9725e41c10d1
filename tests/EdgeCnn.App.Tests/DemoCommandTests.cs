namespace EdgeCnn.App.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn-app").FullName;

    [Fact]
    public void Demo_classifies_synthetic_frames_and_allocates_nothing_per_frame()
    {
        var output = new StringWriter();
        string modelPath = Path.Combine(_dir, "demo.ecnn");
        int exit = DemoCommand.RunSynthetic(150, modelPath, null, output);
        string text = output.ToString();
        Assert.True(exit == 0, text);
        int correct = int.Parse(System.Text.RegularExpressions.Regex.Match(text, @"accuracy: (?<n>\d+)/150", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(5)).Groups["n"].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(correct >= 145, text);
        Assert.Contains("allocated in the frame loop: 0 bytes", text, StringComparison.Ordinal);
        Assert.True(new FileInfo(modelPath).Length > 0);
    }

    [Fact]
    public void Inspect_prints_the_saved_model_plan()
    {
        string modelPath = Path.Combine(_dir, "demo.ecnn");
        DemoCommand.RunSynthetic(3, modelPath, null, TextWriter.Null);
        var output = new StringWriter();
        Assert.Equal(0, InspectCommand.Run(modelPath, output));
        string text = output.ToString();
        Assert.Contains("edges: Conv", text, StringComparison.Ordinal);
        Assert.Contains("probabilities: Softmax", text, StringComparison.Ordinal);
        Assert.Contains("metadata labels = horizontal-stripes,vertical-stripes,checkerboard", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_file_is_a_clear_error_with_exit_code_3()
    {
        string path = Path.Combine(_dir, "bad.ecnn");
        File.WriteAllBytes(path, [1, 2, 3]);
        var saved = Console.Error;
        var error = new StringWriter();
        Console.SetError(error);
        try
        {
            Assert.Equal(3, Program.Main(["inspect", path]));
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Contains("[file.size]", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
