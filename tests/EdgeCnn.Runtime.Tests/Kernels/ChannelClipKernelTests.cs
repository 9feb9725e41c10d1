using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// Every optimized ChannelClip row (fp32 and int8, every width that can execute here) against the reference, exactly, for
/// every channel count 1..70 (every tail of the lcm(C, lanes) tiling) and pixel counts that leave partial tiles, with
/// infinite bounds, equal bounds (lo == hi) and NaN inputs (fp32: NaN passes as in the reference).
/// </summary>
[Trait("Category", "Kernels")]
public class ChannelClipKernelTests
{
    private static readonly QuantizationInfo s_q = QuantizationInfo.PerTensor(0.04f, -7);

    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (string name in KernelComparison.RowNames(OpCode.ChannelClip, DataType.Float32, null)
                     .Concat(KernelComparison.RowNames(OpCode.ChannelClip, DataType.Int8, null)))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Matches_the_reference_for_every_channel_count(string kernel)
    {
        bool int8 = kernel.StartsWith("s8-", StringComparison.Ordinal);
        foreach (int c in Enumerable.Range(1, 70))
        {
            foreach (int pixels in new[] { 1, 3, 13 })
            {
                var rng = new Random((c * 31) + pixels);
                var lo = new float[c];
                var hi = new float[c];
                for (int i = 0; i < c; i++)
                {
                    float a = (float)((rng.NextDouble() * 4) - 2), b = (float)((rng.NextDouble() * 4) - 2);
                    (lo[i], hi[i]) = (i % 5) switch
                    {
                        0 => (Math.Min(a, b), float.PositiveInfinity),
                        1 => (float.NegativeInfinity, Math.Max(a, b)),
                        2 => (a, a),
                        3 => (float.NegativeInfinity, float.PositiveInfinity),
                        _ => (Math.Min(a, b), Math.Max(a, b)),
                    };
                }

                var m = new ModelBuilder();
                DataType t = int8 ? DataType.Int8 : DataType.Float32;
                TensorRef x = m.Input("x", t, [1, pixels, 1, c], int8 ? s_q : null);
                m.Output(m.Node(OpCode.ChannelClip, [x, m.Constant("lo", lo, [c]), m.Constant("hi", hi, [c])], null, int8 ? s_q : null));
                Compare(m.Build(), kernel, int8, rng, $"{kernel} C {c} pixels {pixels}");
            }
        }
    }

    private static void Compare(byte[] model, string kernel, bool int8, Random rng, string context)
    {
        using var reference = InferenceSession.Load(model, SessionOptions.ReferenceOnly);
        using var optimized = InferenceSession.Load(model, SessionOptions.Only(kernel));
        Assert.True(optimized.Kernels.Any(k => k is not null && string.Equals(k.Name, kernel, StringComparison.Ordinal)), $"{context}: {kernel} was not chosen");
        if (int8)
        {
            Span<sbyte> a = reference.Input<sbyte>(0), b = optimized.Input<sbyte>(0);
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = b[i] = (sbyte)rng.Next(-128, 128);
            }

            optimized.Run();
            reference.Run();
            Tolerance.Equal(reference.Output<sbyte>(0), optimized.Output<sbyte>(0), context);
            return;
        }

        Span<float> fa = reference.Input<float>(0), fb = optimized.Input<float>(0);
        for (int i = 0; i < fa.Length; i++)
        {
            fa[i] = fb[i] = i % 11 == 7 ? float.NaN : (float)((rng.NextDouble() * 6) - 3);
        }

        optimized.Run();
        reference.Run();
        ReadOnlySpan<float> r = reference.Output<float>(0), o = optimized.Output<float>(0);
        for (int i = 0; i < r.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(r[i]) == BitConverter.SingleToInt32Bits(o[i]), $"{context}: element {i}: reference {r[i]}, {kernel} {o[i]}");
        }
    }
}
