using EdgeCnn.Runtime.Graph;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.App;

/// <summary>
/// The embedded default model until a trained one ships: a pattern classifier with hand-set weights. Six 3x3 edge filters
/// (Sobel x, Sobel y and a corner filter, each with both signs so ReLU keeps the magnitude), global average pooling, and
/// a dense layer that scores horizontal stripes (y edges), vertical stripes (x edges) and checkerboards (both, plus corners).
/// </summary>
internal static class BuiltInModel
{
    public const int Size = 32;

    public static byte[] Build()
    {
        float[][] filters =
        [
            [-1, 0, 1, -2, 0, 2, -1, 0, 1],  // d/dx
            [1, 0, -1, 2, 0, -2, 1, 0, -1],  // -d/dx
            [-1, -2, -1, 0, 0, 0, 1, 2, 1],  // d/dy
            [1, 2, 1, 0, 0, 0, -1, -2, -1],  // -d/dy
            [1, 0, -1, 0, 0, 0, -1, 0, 1],   // corners
            [-1, 0, 1, 0, 0, 0, 1, 0, -1],   // -corners
        ];
        var b = new ModelBuilder();
        TensorRef x = b.Input("image", DataType.Float32, [1, Size, Size, 1]);
        TensorRef w = b.Constant("edges.weight", filters.SelectMany(f => f).ToArray(), [6, 3, 3, 1]);
        TensorRef conv = b.Node(OpCode.Conv, [x, w, null],
            [NodeAttribute.Int(AttributeKey.PadMode, (int)PadMode.SameUpper), NodeAttribute.Int(AttributeKey.Activation, (int)FusedActivation.Relu)],
            name: "edges");
        TensorRef pooled = b.Node(OpCode.GlobalAveragePool, [conv], name: "pool");
        TensorRef flat = b.Node(OpCode.Reshape, [pooled], [NodeAttribute.IntList(AttributeKey.Shape, [1, 6])], name: "flatten");
        // Features: Ex+ Ex- Ey+ Ey- C+ C-. Stripes light one direction; a checkerboard lights both and the corner filter.
        float[] dense =
        [
            -1f, -1f, 1f, 1f, -1f, -1f,        // horizontal stripes: y edges, no x edges, no corners
            1f, 1f, -1f, -1f, -1f, -1f,        // vertical stripes
            0.5f, 0.5f, 0.5f, 0.5f, 1f, 1f,    // checkerboard
        ];
        TensorRef dw = b.Constant("classifier.weight", dense, [3, 6]);
        TensorRef db = b.Constant("classifier.bias", [0f, 0f, -1.5f], [3]);
        TensorRef logits = b.Node(OpCode.Dense, [flat, dw, db], name: "classifier");
        b.Output(b.Node(OpCode.Softmax, [logits], [NodeAttribute.Int(AttributeKey.Axis, -1)], name: "probabilities"));
        b.Metadata("labels", string.Join(',', SyntheticPatternSource.Labels));
        b.Metadata("preprocess", "{\"layout\":\"NHWC\",\"channels\":\"grey\",\"scale\":1,\"mean\":[127.5],\"std\":[127.5]}");
        b.Metadata("producer", "EdgeCnn built-in demo model");
        return b.Build();
    }
}
