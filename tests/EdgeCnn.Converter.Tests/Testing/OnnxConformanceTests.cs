using EdgeCnn.Converter.Testing;
using Xunit.Abstractions;

namespace EdgeCnn.Converter.Tests.Testing;

/// <summary>
/// The ONNX backend node tests kept in shared/onnx-node-tests (beside the repository) and the sample models in
/// shared/models, run through the converter and the runtime: no case may fail or error; unsupported ones are listed
/// per op in the test output (dotnet test --logger "console;verbosity=detailed").
/// </summary>
public class OnnxConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void No_conformance_case_fails()
    {
        string[] roots = [.. new[] { "shared/onnx-node-tests", "shared/models" }.Select(Find).OfType<string>()];
        if (roots.Length == 0)
        {
            output.WriteLine("shared/onnx-node-tests not found beside the repository: nothing to run");
            return;
        }

        BackendTestReport report = new BackendTestRunner().Run(roots);
        foreach (BackendOpStats s in report.PerOp)
        {
            output.WriteLine($"{s.OpType,-24} {s.Passed,4} passed {s.Failed,4} failed {s.Unsupported,4} unsupported {s.Errors,4} errors");
        }

        output.WriteLine(report.Summary);
        string[] bad = [.. report.Cases.Where(c => c.Status is BackendTestStatus.Failed or BackendTestStatus.Error).Select(c => $"{c.Name}: {c.Describe()}")];
        Assert.True(bad.Length == 0, string.Join(Environment.NewLine, bad));
        Assert.NotEmpty(report.Cases);
    }

    /// <summary>The folder at relative path in the nearest ancestor of the test binary that has it.</summary>
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
