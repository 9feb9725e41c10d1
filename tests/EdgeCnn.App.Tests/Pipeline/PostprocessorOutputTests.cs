using EdgeCnn.App.Pipeline;
using EdgeCnn.Device.Config;
using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.App.Tests.Pipeline;

/// <summary>Which detector outputs the postprocessor reads, and the models it refuses instead of misreading.</summary>
public sealed class PostprocessorOutputTests
{
    /// <summary>A stand-in 4-class detector: the 8 channel means of an image reshaped to [1, 2, 4] (the first output)
    /// and their sigmoids reshaped to [1, 2, 4] (the second), so both outputs end in 4 and only their names can say
    /// which holds the boxes.</summary>
    private static InferenceSession FourClassDetector(string first, string second)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("image", DataType.Float32, [1, 3, 8, 8]);
        TensorRef pooled = b.Node(OpCode.GlobalAveragePool, [x], name: "pool");
        TensorRef squashed = b.Node(OpCode.Sigmoid, [pooled], name: "sigmoid");
        b.Output(b.Node(OpCode.Reshape, [pooled], [NodeAttribute.IntList(AttributeKey.Shape, [1, 2, 4])], name: first));
        b.Output(b.Node(OpCode.Reshape, [squashed], [NodeAttribute.IntList(AttributeKey.Shape, [1, 2, 4])], name: second));
        return b.BuildSession();
    }

    private static PostprocessConfig Detector => new() { Type = "ultraface", ScoreThreshold = 0.5f };

    [Fact]
    public void Outputs_named_boxes_and_scores_are_read_as_such_whatever_their_order()
    {
        // boxes first: the raw means (0.9) are the boxes, their sigmoids (0.711) the scores
        using InferenceSession session = FourClassDetector("boxes", "scores");
        session.Input<float>(0).Fill(0.9f);
        session.Run();
        var post = new Postprocessor(session, Detector, "test");
        Assert.Equal(4, post.Labels.Length); // classes from the scores output's last axis
        post.Process();
        Assert.Equal(1f / (1f + MathF.Exp(-0.9f)), post.Score(1), 1e-5f);

        // scores first: the same roles by name, not by position
        using InferenceSession swapped = FourClassDetector("scores", "boxes");
        swapped.Input<float>(0).Fill(0.9f);
        swapped.Run();
        var read = new Postprocessor(swapped, Detector, "test");
        read.Process();
        Assert.Equal(0.9f, read.Score(1), 1e-5f);
    }

    [Fact]
    public void Two_outputs_ending_in_4_with_uninformative_names_are_refused_not_guessed()
    {
        using InferenceSession session = FourClassDetector("out_a", "out_b");
        var e = Assert.Throws<ConfigException>(() => new Postprocessor(session, Detector, "test"));
        Assert.Equal("$.postprocess.type", e.JsonPath);
        Assert.Contains("'out_a'", e.Message, StringComparison.Ordinal);
    }
}
