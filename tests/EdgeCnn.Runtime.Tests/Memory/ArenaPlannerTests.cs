using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Memory;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeCnn.Runtime.Tests.Memory;

/// <summary>
/// The arena against the theoretical minimum, the largest total of tensors live at one step, computed here independently
/// from the graph: chains, residual branches and concat-style fan-in must come within 1.05x.
/// </summary>
public class ArenaPlannerTests
{
    private const int C = 16; // channels: 4 bytes * 16 = one 64-byte line per pixel

    [Fact]
    public void Chain_of_growing_and_shrinking_tensors_is_within_5_percent()
    {
        // No in-place ops (Add with a constant of another shape keeps them apart), sizes vary along the chain.
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 8, 8, C]);
        int[] widths = [32, 8, 64, 4, 16, 48];
        TensorRef t = x;
        foreach (int w in widths)
        {
            t = Expand(b, t, w);
        }

        b.Output(t);
        AssertNearMinimum(b, "chain");
    }

    [Fact]
    public void Residual_branches_are_within_5_percent()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 8, 8, C]);
        TensorRef t = x;
        for (int block = 0; block < 4; block++)
        {
            TensorRef a = Expand(b, t, 32);
            TensorRef c = Expand(b, a, C);
            t = b.Node(OpCode.Add, [t, c]); // the skip keeps t alive across the block
        }

        b.Output(t);
        AssertNearMinimum(b, "residual");
    }

    [Fact]
    public void Concat_fan_in_is_within_5_percent()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 8, 8, C]);
        var branches = new TensorRef?[4];
        for (int i = 0; i < branches.Length; i++)
        {
            branches[i] = Expand(b, Expand(b, x, 8 * (i + 1)), C);
        }

        b.Output(b.Node(OpCode.Concat, branches, [NodeAttribute.Int(AttributeKey.Axis, -1)]));
        AssertNearMinimum(b, "concat fan-in");
    }

    [Fact]
    public void In_place_activations_reuse_their_input_buffer()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [1, 4, 4, C]);
        TensorRef a = Expand(b, x, C);
        TensorRef r = b.Node(OpCode.Relu, a);
        TensorRef s = b.Node(OpCode.Sigmoid, r);
        b.Output(s);
        using InferenceSession session = b.BuildSession();
        Assert.Equal(session.Placements[a.Index].ArenaOffset, session.Placements[r.Index].ArenaOffset);
        Assert.Equal(session.Placements[a.Index].ArenaOffset, session.Placements[s.Index].ArenaOffset);
    }

    [Fact]
    public void Graph_input_is_never_overwritten_in_place()
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, [4]);
        b.Output(b.Node(OpCode.Relu, x));
        using InferenceSession session = b.BuildSession();
        float[] input = [-1f, 2f, -3f, 4f];
        input.CopyTo(session.Input<float>(0));
        session.Run();
        session.Run();
        Assert.Equal(input, session.Input<float>(0).ToArray());
        Assert.Equal([0f, 2f, 0f, 4f], session.Output<float>(0).ToArray());
    }

    [Fact]
    public void Planner_never_overlaps_buffers_live_at_the_same_time()
    {
        Gen<BufferRequest[]> gen =
            from n in Gen.Choose(1, 24)
            from items in Gen.ArrayOf(
                from bytes in Gen.Choose(1, 5000)
                from first in Gen.Choose(-1, 20)
                from length in Gen.Choose(0, 8)
                select new BufferRequest(bytes, first, first + length), n)
            select items;
        Prop.ForAll(Arb.From(gen), requests =>
        {
            (long[] offsets, long total) = ArenaPlanner.Plan(requests);
            for (int i = 0; i < requests.Length; i++)
            {
                if (offsets[i] % ArenaPlanner.Alignment != 0 || offsets[i] + requests[i].Bytes > total)
                {
                    return false;
                }

                for (int j = i + 1; j < requests.Length; j++)
                {
                    bool timeOverlap = requests[i].OverlapsInTime(requests[j]);
                    bool spaceOverlap = offsets[i] < offsets[j] + requests[j].Bytes && offsets[j] < offsets[i] + requests[i].Bytes;
                    if (timeOverlap && spaceOverlap)
                    {
                        return false;
                    }
                }
            }

            return total >= ArenaPlanner.LowerBound(requests);
        }).QuickCheckThrowOnFailure();
    }

    private static int s_constants;

    /// <summary>A 1x1 convolution to a new channel count: an out-of-place op whose output size differs from its input.</summary>
    private static TensorRef Expand(ModelBuilder b, TensorRef x, int width)
    {
        int c = b.Shape(x)[^1];
        TensorRef w = b.Constant($"w{Interlocked.Increment(ref s_constants)}", new float[width * c], [width, 1, 1, c]);
        return b.Node(OpCode.Conv, [x, w]);
    }

    private static void AssertNearMinimum(ModelBuilder b, string what)
    {
        using InferenceSession session = b.BuildSession();
        long minimum = IndependentMinimum(session.Model);
        double ratio = (double)session.ArenaBytes / minimum;
        Assert.True(ratio <= 1.05, $"{what}: arena {session.ArenaBytes} bytes, minimum {minimum} ({ratio:F3}x)");
        Assert.True(session.ArenaBytes >= session.ArenaLowerBound, $"{what}: below the planner's own lower bound");
    }

    /// <summary>
    /// Largest sum of live tensor bytes at any step, from the graph alone: a tensor lives from the node producing it to its
    /// last reader (or the end, for outputs); graph inputs live through the whole run. In-place and views only lower the true need.
    /// </summary>
    private static long IndependentMinimum(EdgeCnn.Runtime.Format.EcnnModel m)
    {
        int steps = m.Nodes.Count;
        var first = new int[m.Tensors.Count];
        var last = new int[m.Tensors.Count];
        Array.Fill(first, int.MaxValue);
        Array.Fill(last, -2);
        foreach (int i in m.Inputs)
        {
            first[i] = -1;
            last[i] = steps; // the caller's input stays intact through Run
        }

        for (int k = 0; k < steps; k++)
        {
            foreach (int o in m.Nodes[k].Outputs)
            {
                first[o] = k;
                last[o] = Math.Max(last[o], k);
            }

            foreach (int i in m.Nodes[k].Inputs)
            {
                if (i >= 0 && !m.Tensors[i].IsConstant)
                {
                    last[i] = Math.Max(last[i], k);
                }
            }
        }

        foreach (int o in m.Outputs)
        {
            last[o] = steps;
        }

        long best = 0;
        for (int s = -1; s <= steps; s++)
        {
            long live = 0;
            for (int t = 0; t < m.Tensors.Count; t++)
            {
                if (!m.Tensors[t].IsConstant && first[t] <= s && s <= last[t])
                {
                    live += (m.Tensors[t].ByteCount + 63) / 64 * 64;
                }
            }

            best = Math.Max(best, live);
        }

        return best;
    }
}

public class ArenaLimitTests
{
    [Fact]
    public void A_model_needing_more_arena_than_allowed_is_refused_with_a_clear_error()
    {
        // Two live 512 MiB activations: 1 GiB of arena, over a 256 MiB limit. Nothing is allocated before the check.
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, [512, 1024, 1024], QuantizationInfo.PerTensor(1f, 0));
        b.Output(b.Node(OpCode.Transpose, [x], [NodeAttribute.IntList(AttributeKey.Perm, [1, 0, 2])], QuantizationInfo.PerTensor(1f, 0)));
        byte[] file = b.Build();
        var e = Assert.Throws<EdgeCnn.Runtime.Format.EcnnFormatException>(
            () => InferenceSession.Load(file, new SessionOptions { MaxArenaBytes = 256L << 20 }));
        Assert.Equal("plan.arena-limit", e.Rule);
        Assert.Contains("MaxArenaBytes", e.Message, StringComparison.Ordinal);
    }
}
