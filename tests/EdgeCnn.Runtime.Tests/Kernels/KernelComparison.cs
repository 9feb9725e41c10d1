using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Ops;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Runs one model twice, once with a forced optimized kernel-table row and once with the reference kernels only, and
/// compares: fp32 within tolerance. Also asserts the forced row is the kernel that ran, so a test can never pass by silently
/// falling back to the reference.
/// </summary>
internal static class KernelComparison
{
    /// <summary>The table rows of an op a test must cover: every optimized row that can execute here (emulated or not).</summary>
    /// <param name="family">A part of the name the rows share (e.g. "-gemm-"), or null for all.</param>
    public static TheoryData<string> Rows(OpCode op, DataType type, string? family = null)
    {
        var data = new TheoryData<string>();
        foreach (string name in RowNames(op, type, family))
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>The names <see cref="Rows"/> lists, of several ops.</summary>
    public static TheoryData<string> Rows(params OpCode[] ops)
    {
        var data = new TheoryData<string>();
        foreach (string name in ops.SelectMany(op => RowNames(op, DataType.Float32, null)))
        {
            data.Add(name);
        }

        return data;
    }

    public static IEnumerable<string> RowNames(OpCode op, DataType type, string? family) =>
        KernelTable.For(op, type).Where(k => !k.IsReference && k.CanExecute && (family is null || k.Name.Contains(family, StringComparison.Ordinal)))
            .Select(k => k.Name);

    /// <summary>Fills the model's inputs with seeded values in [-inputScale, inputScale), runs both sessions, compares output 0.</summary>
    public static void Float(ModelBuilder model, string kernel, string context, int seed = 1, int threads = 1, float rtol = 1e-4f, float atol = 1e-4f,
        float inputScale = 1f)
    {
        byte[] bytes = model.Build();
        using var reference = InferenceSession.Load(bytes, SessionOptions.ReferenceOnly);
        var names = new HashSet<string>([kernel], StringComparer.Ordinal);
        using var optimized = InferenceSession.Load(bytes, new SessionOptions { KernelFilter = k => names.Contains(k.Name), Threads = threads });
        Assert.True(optimized.Kernels.Any(k => k is not null && string.Equals(k.Name, kernel, StringComparison.Ordinal)),
            $"{context}: {kernel} was not chosen; kernels: {string.Join(", ", optimized.Kernels.Select(k => k?.Name))}");
        var rng = new Random(seed);
        for (int i = 0; i < reference.Inputs.Count; i++)
        {
            Span<float> a = reference.Input<float>(i), b = optimized.Input<float>(i);
            for (int j = 0; j < a.Length; j++)
            {
                a[j] = b[j] = (float)((rng.NextDouble() * 2) - 1) * inputScale;
            }
        }

        // Poison the optimized output first: an element the kernel forgets to write then fails instead of matching zeros.
        Poison(optimized.Output<float>(0));
        optimized.Run();
        reference.Run();
        Tolerance.AllClose(reference.Output<float>(0), optimized.Output<float>(0), $"{kernel} {context}", rtol, atol);
    }

    private static unsafe void Poison(ReadOnlySpan<float> output)
    {
        fixed (float* p = output)
        {
            new Span<float>(p, output.Length).Fill(float.NaN);
        }
    }

    public static string Describe(int[] shape) => "[" + string.Join(",", shape) + "]";
}
