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
    public static TheoryData<string> Rows(OpCode op, DataType type)
    {
        var data = new TheoryData<string>();
        foreach (KernelInfo k in KernelTable.For(op, type).Where(k => !k.IsReference && k.CanExecute))
        {
            data.Add(k.Name);
        }

        return data;
    }

    /// <summary>Fills the model's inputs with seeded values in [-1, 1), runs both sessions, compares output 0.</summary>
    public static void Float(ModelBuilder model, string kernel, string context, int seed = 1, int threads = 1, float rtol = 1e-4f, float atol = 1e-4f)
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
                a[j] = b[j] = (float)((rng.NextDouble() * 2) - 1);
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
