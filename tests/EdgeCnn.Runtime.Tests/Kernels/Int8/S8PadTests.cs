using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Pad;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Tests.Kernels.Int8;

/// <summary>
/// The int8 constant Pad row against the reference, bit for bit: ranks 1 to 5, every axis padded, cropped (negative pads)
/// or left alone, blocks that are all padding, all crop, or a run in the middle; and in a session, where Plan picks it.
/// </summary>
[Trait("Category", "Kernels")]
public class S8PadTests
{
    [Fact]
    public unsafe void Constant_pad_rows_match_the_reference_over_ranks_pads_and_crops()
    {
        var rng = new Random(21);
        int cases = 0;
        while (cases < 600)
        {
            int rank = 1 + rng.Next(5);
            int[] inShape = new int[rank], outShape = new int[rank], begin = new int[rank];
            bool ok = true;
            for (int d = 0; d < rank; d++)
            {
                inShape[d] = 1 + rng.Next(rank > 3 ? 4 : 7);
                // a third of the axes untouched, so trailing unpadded axes join the copied chunk
                (begin[d], int end) = rng.Next(3) == 0 ? (0, 0) : (rng.Next(-2, 4), rng.Next(-2, 4));
                outShape[d] = inShape[d] + begin[d] + end;
                ok &= outShape[d] >= 1;
            }

            if (!ok)
            {
                continue;
            }

            cases++;
            sbyte[] x = new sbyte[inShape.Aggregate(1, (a, b) => a * b)];
            rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()));
            int outCount = outShape.Aggregate(1, (a, b) => a * b);
            sbyte[] expected = new sbyte[outCount], actual = new sbyte[outCount];
            sbyte fill = (sbyte)rng.Next(-128, 128);
            PadKernels.Pad<sbyte>(x, expected, inShape, outShape, begin, (int)PadFill.Constant, fill);
            actual.AsSpan().Fill((sbyte)~fill); // poison: an element the kernel forgets differs from the fill and from most data
            fixed (sbyte* px = x, py = actual)
            {
                var plan = new PadPlan(DataType.Int8, px, py, inShape, outShape, begin, PadKernels.Constant, fill);
                Assert.True(PadConstantRowsKernel<sbyte>.Accepts(plan));
                new PadConstantRowsKernel<sbyte>("s8-pad-constant-rows-scalar", plan, fill).Run();
            }

            for (int i = 0; i < outCount; i++)
            {
                Assert.True(expected[i] == actual[i],
                    $"in [{string.Join(",", inShape)}] out [{string.Join(",", outShape)}] begin [{string.Join(",", begin)}] fill {fill}: element {i} is {actual[i]}, the reference {expected[i]}");
            }
        }
    }

    [Fact]
    public void An_int8_constant_pad_node_plans_the_row_and_matches_a_reference_session()
    {
        var b = new ModelBuilder();
        var q = new QuantizationInfo([0.05f], [3], -1);
        TensorRef x = b.Input("x", DataType.Int8, [1, 5, 6, 8], q);
        b.Output(b.Pad(x, [0, 1, 2, 0, 0, 2, 1, 0], PadFill.Constant, 0.5f));
        byte[] model = b.Build();
        using var fast = InferenceSession.Load(model);
        using var reference = InferenceSession.Load(model, SessionOptions.ReferenceOnly);
        Assert.Contains(fast.Kernels, k => string.Equals(k?.Name, "s8-pad-constant-rows-scalar", StringComparison.Ordinal));
        for (int i = 0; i < fast.Input<sbyte>(0).Length; i++)
        {
            fast.Input<sbyte>(0)[i] = reference.Input<sbyte>(0)[i] = (sbyte)((i * 37 % 251) - 125);
        }

        fast.Run();
        reference.Run();
        Assert.Equal(reference.Output<sbyte>(0).ToArray(), fast.Output<sbyte>(0).ToArray());
        Assert.Contains((sbyte)13, fast.Output<sbyte>(0).ToArray()); // the fill, quantize(0.5) = 0.5 / 0.05 + 3
    }
}
