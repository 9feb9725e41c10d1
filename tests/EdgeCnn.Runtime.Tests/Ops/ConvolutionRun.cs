using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Tests.TestSupport;

namespace EdgeCnn.Runtime.Tests.Ops;

/// <summary>Builds a one-node convolution-family model through the public builder calls and runs it.</summary>
internal static class ConvolutionRun
{
    public static TensorRef Add(ModelBuilder b, OpCode op, TensorRef x, TensorRef w, TensorRef? bias, ConvOptions? options,
        QuantizationInfo? yq = null) => op switch
        {
            OpCode.Conv => b.Conv(x, w, bias, options, yq),
            OpCode.ConvTranspose => b.ConvTranspose(x, w, bias, options, yq),
            OpCode.LocallyConnected2D => b.LocallyConnected2D(x, w, bias, options, yq),
            OpCode.TiledConv2D => b.TiledConv2D(x, w, bias, options, yq),
            OpCode.Dense => b.Dense(x, w, bias, options, yq),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };

    public static ModelBuilder BuildFloat(OpCode op, int[] xShape, float[] w, int[] wShape, float[]? bias, ConvOptions? options,
        int[]? biasShape = null)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, xShape);
        TensorRef wt = b.Constant("w", w, wShape);
        TensorRef? bt = bias is null ? null : b.Constant("b", bias, biasShape ?? [bias.Length]);
        b.Output(Add(b, op, x, wt, bt, options));
        return b;
    }

    public static float[] Float(OpCode op, float[] x, int[] xShape, float[] w, int[] wShape, float[]? bias = null, ConvOptions? options = null,
        int[]? biasShape = null) =>
        Run.Float(BuildFloat(op, xShape, w, wShape, bias, options, biasShape), x);

    /// <summary>Output shape the builder inferred (fp32).</summary>
    public static int[] Shape(OpCode op, int[] xShape, int[] wShape, ConvOptions? options)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Float32, xShape);
        TensorRef wt = b.Constant("w", new float[ConvolutionNaive.Count(wShape)], wShape);
        return b.Shape(Add(b, op, x, wt, null, options));
    }

    public static ModelBuilder BuildInt8(OpCode op, int[] xShape, QuantizationInfo xq, sbyte[] w, int[] wShape, QuantizationInfo wq,
        int[]? bias, ConvOptions? options, QuantizationInfo yq, int[]? biasShape = null)
    {
        var b = new ModelBuilder();
        TensorRef x = b.Input("x", DataType.Int8, xShape, xq);
        TensorRef wt = b.Constant("w", w, wShape, wq);
        TensorRef? bt = bias is null ? null : b.Constant("b", bias, biasShape ?? [bias.Length]);
        b.Output(Add(b, op, x, wt, bt, options, yq));
        return b;
    }

    public static sbyte[] Int8(OpCode op, sbyte[] x, int[] xShape, QuantizationInfo xq, sbyte[] w, int[] wShape, QuantizationInfo wq,
        int[]? bias, ConvOptions? options, QuantizationInfo yq, int[]? biasShape = null) =>
        Run.Int8(BuildInt8(op, xShape, xq, w, wShape, wq, bias, options, yq, biasShape), x);

    public static float[] RandomFloats(Random rng, long count) =>
        Enumerable.Range(0, (int)count).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();

    public static sbyte[] RandomInt8(Random rng, long count, int lo = -128, int hi = 127) =>
        Enumerable.Range(0, (int)count).Select(_ => (sbyte)rng.Next(lo, hi + 1)).ToArray();
}
