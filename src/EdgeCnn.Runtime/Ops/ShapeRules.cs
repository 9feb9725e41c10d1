using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

/// <summary>Checks shared by the shape and data-movement operators.</summary>
internal static class ShapeRules
{
    /// <summary>fp32 or per-tensor int8: the types every data-movement op accepts.</summary>
    public static TensorDesc RequireData(InferContext ctx, int i)
    {
        TensorDesc x = ctx.RequireType(i, DataType.Float32, DataType.Int8);
        if (x.Type == DataType.Int8)
        {
            ctx.RequirePerTensorQuant(x, $"input {i}");
        }

        return x;
    }

    /// <summary>
    /// Pure data movement keeps the real values only when the int8 output is quantized exactly like the input, so a declared
    /// output (a model file) must carry the input's scale and zero point. In builder mode nothing is declared yet; the builder
    /// helpers pass the input's quantization.
    /// </summary>
    public static void RequireSameQuantization(InferContext ctx, TensorDesc x)
    {
        if (x.Type != DataType.Int8 || ctx.DeclaredOutput(0) is not { } y || y.Quantization is not { } qy)
        {
            return;
        }

        QuantizationInfo qx = x.Quantization!;
        if (!qy.IsPerTensor || qy.Scale != qx.Scale || qy.ZeroPoint != qx.ZeroPoint)
        {
            throw ctx.Fail($"int8 output '{y.Name}' must keep the input's quantization (scale {qx.Scale}, zero point {qx.ZeroPoint}); " +
                $"it has scale {qy.Scale}, zero point {qy.ZeroPoint}");
        }
    }

    /// <summary>Normalizes an axis or fails naming the attribute.</summary>
    public static int Axis(InferContext ctx, int axis, int rank, string what)
    {
        int a = ShapeMath.NormalizeAxis(axis, rank);
        if (a < 0)
        {
            throw ctx.Fail($"{what} {axis} is out of range for rank {rank} (allowed {-rank}..{rank - 1})");
        }

        return a;
    }
}
