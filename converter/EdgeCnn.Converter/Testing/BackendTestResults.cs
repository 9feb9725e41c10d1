namespace EdgeCnn.Converter.Testing;

/// <summary>How one backend test case ended.</summary>
public enum BackendTestStatus
{
    Passed,

    /// <summary>Converted and ran, but an output is outside the tolerance.</summary>
    Failed,

    /// <summary>Valid ONNX (or test data) that EdgeCnn does not support: an op, attribute, opset or data type.</summary>
    Unsupported,

    /// <summary>Anything else: an unreadable model or test data, a malformed model, a shape mismatch, an exception.</summary>
    Error,
}

/// <summary>Tolerances of a backend test: an element passes when |actual - expected| &lt;= Atol + Rtol * |expected|.</summary>
public sealed record BackendTestOptions(double Rtol = 1e-3, double Atol = 1e-7);

/// <summary>The element of a case that is furthest outside (or closest to leaving) the tolerance.</summary>
public sealed record WorstElement(int DataSet, string Output, int Index, float Expected, float Actual)
{
    public double AbsError => Math.Abs((double)Actual - Expected);
}

/// <summary>
/// One case: its status, the op types of its model (for the per-op breakdown), the largest absolute error seen over all
/// data sets and outputs, the worst element, and for Unsupported or Error the reason.
/// </summary>
public sealed record BackendCaseResult(string Name, string Path, BackendTestStatus Status, IReadOnlyList<string> OpTypes)
{
    public string? Reason { get; init; }

    public double MaxAbsError { get; init; }

    public WorstElement? Worst { get; init; }

    public int DataSets { get; init; }

    /// <summary>The one-line verdict the CLI prints after the case name.</summary>
    public string Describe() => Status switch
    {
        BackendTestStatus.Passed => "passed",
        BackendTestStatus.Failed when Worst is { } w => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"failed: max error {w.AbsError:G4} at output {w.Output}[{w.Index}] (expected {w.Expected:G9}, got {w.Actual:G9}){(DataSets > 1 ? $" in test_data_set_{w.DataSet}" : "")}"),
        BackendTestStatus.Failed => $"failed: {Reason}",
        BackendTestStatus.Unsupported => $"unsupported: {Reason}",
        _ => $"error: {Reason}",
    };
}

/// <summary>How the cases that contain one op type ended (a case counts for every op type its model holds).</summary>
public sealed record BackendOpStats(string OpType, int Passed, int Failed, int Unsupported, int Errors)
{
    public int Total => Passed + Failed + Unsupported + Errors;
}

/// <summary>Every case of one run, the counts, and the per-op breakdown.</summary>
public sealed class BackendTestReport
{
    public BackendTestReport(IReadOnlyList<BackendCaseResult> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        Cases = cases;
        PerOp = cases
            .SelectMany(c => c.OpTypes.Select(op => (op, c.Status)))
            .GroupBy(x => x.op, StringComparer.Ordinal)
            .Select(g => new BackendOpStats(g.Key,
                g.Count(x => x.Status == BackendTestStatus.Passed),
                g.Count(x => x.Status == BackendTestStatus.Failed),
                g.Count(x => x.Status == BackendTestStatus.Unsupported),
                g.Count(x => x.Status == BackendTestStatus.Error)))
            .OrderBy(s => s.OpType, StringComparer.Ordinal)
            .ToArray();
    }

    public IReadOnlyList<BackendCaseResult> Cases { get; }

    public IReadOnlyList<BackendOpStats> PerOp { get; }

    public int Passed => Count(BackendTestStatus.Passed);

    public int Failed => Count(BackendTestStatus.Failed);

    public int Unsupported => Count(BackendTestStatus.Unsupported);

    public int Errors => Count(BackendTestStatus.Error);

    /// <summary>True when no case failed or errored (unsupported cases are expected while ops are being added).</summary>
    public bool Succeeded => Failed == 0 && Errors == 0;

    /// <summary>"N passed, M failed, K unsupported": M counts failed and errored cases (" (E errors)" follows when any errored).</summary>
    public string Summary => $"{Passed} passed, {Failed + Errors} failed, {Unsupported} unsupported" + (Errors > 0 ? $" ({Errors} errors)" : "");

    private int Count(BackendTestStatus s) => Cases.Count(c => c.Status == s);
}
