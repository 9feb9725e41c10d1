using EdgeCnn.Runtime.Graph;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// TiledConv2D (Ngiam et al. 2010) and LocallyConnected2D (Keras): a 2D convolution whose weights are untied within a tile of
/// tH x tW output positions and tied across tiles; output (y, x) uses weight set (y mod tH, x mod tW).
/// x [N, H, W, C]; weights constant [tH, tW, O, kH, kW, C]; bias [O] (LocallyConnected2D also [outH, outW, O]).
/// LocallyConnected2D is the tile the size of the output: weights [outH, outW, O, kH, kW, C]. Both run the Conv reference
/// kernel with weight sets. No groups.
/// </summary>
internal sealed class TiledConvOperator(bool locallyConnected) : Operator
{
    private static readonly AttributeKey[] s_tiled =
        [AttributeKey.Strides, AttributeKey.Dilations, AttributeKey.Pads, AttributeKey.PadMode, AttributeKey.Tile, .. ConvSupport.ActivationKeys];

    private static readonly AttributeKey[] s_local =
        [AttributeKey.Strides, AttributeKey.Dilations, AttributeKey.Pads, AttributeKey.PadMode, .. ConvSupport.ActivationKeys];

    public override OpCode Code => locallyConnected ? OpCode.LocallyConnected2D : OpCode.TiledConv2D;

    public override int MinInputs => 2;

    public override int MaxInputs => 3;

    public override IReadOnlyList<AttributeKey> Attributes => locallyConnected ? s_local : s_tiled;

    public override void Infer(InferContext ctx)
    {
        TensorDesc x = ctx.RequireType(0, DataType.Float32, DataType.Int8);
        ctx.RequireRank(0, 4, 4);
        TensorDesc w = ConvSupport.RequireWeights(ctx, x, 6);
        (SpatialGeometry geo, _) = Resolve(ctx, x, w);
        int outC = w.Shape[2];
        bool int8 = x.Type == DataType.Int8;
        ConvSupport.ReadActivation(ctx, int8);
        ConvSupport.CheckBias(ctx, x, [outC], locallyConnected ? [geo.Output[0], geo.Output[1], outC] : null);
        if (int8)
        {
            ConvSupport.CheckInt8(ctx, x, w, 2, outC, (long)w.Shape[3] * w.Shape[4] * w.Shape[5]);
        }

        ctx.SetOutput(0, x.Type, [x.Shape[0], geo.Output[0], geo.Output[1], outC]);
    }

    public override Kernel CreateKernel(PlanContext ctx)
    {
        TensorDesc x = ctx.Input(0), w = ctx.Input(1);
        (SpatialGeometry geo, int[] tile) = Resolve(ctx, x, w);
        int outC = w.Shape[2];
        bool biasPerTile = ctx.HasInput(2) && ctx.Input(2).Shape.Length == 3;
        ConvGeometry g = ConvSupport.Geometry(x.Shape[0], geo.Input, x.Shape[3], geo.Output, outC, geo.Kernel, geo.Strides,
            geo.Dilations, geo.PadBegin, 1, tile, biasPerTile);
        ConvTensors t = ConvTensorsFactory.From(ctx);
        string name = locallyConnected ? "locallyconnected2d-ref" : "tiledconv2d-ref";
        if (x.Type == DataType.Float32)
        {
            return new ConvF32Kernel("f32-" + name, t, g, ConvSupport.ReadActivation(ctx, false), transposed: false);
        }

        return new ConvS8Kernel("s8-" + name, t, g, ConvSupport.BuildRequant(ctx, outC, ConvSupport.ReadActivation(ctx, true)), transposed: false);
    }

    private (SpatialGeometry Geometry, int[] Tile) Resolve(NodeContext ctx, TensorDesc x, TensorDesc w)
    {
        int c = x.Shape[3];
        if (w.Shape[5] != c)
        {
            throw ctx.Fail($"weights '{w.Name}' {ShapeMath.Format(w.Shape)} have {w.Shape[5]} input channels; input has {c}");
        }

        SpatialGeometry geo = SpatialGeometry.FromNode(ctx, x.Shape[1..3], w.Shape[3..5], allowCeilMode: false);
        int[] tile;
        if (locallyConnected)
        {
            tile = geo.Output;
            if (w.Shape[0] != tile[0] || w.Shape[1] != tile[1])
            {
                throw ctx.Fail($"locally connected weights '{w.Name}' {ShapeMath.Format(w.Shape)} must start with the output size " +
                    $"[{tile[0]}, {tile[1]}] (one weight set per output position)");
            }
        }
        else
        {
            tile = ctx.Ints(AttributeKey.Tile, null) ?? throw ctx.Fail("TiledConv2D needs the Tile attribute [tH, tW]");
            if (tile.Length != 2 || tile[0] < 1 || tile[1] < 1)
            {
                throw ctx.Fail($"tile must be two values >= 1, is [{string.Join(", ", tile)}]");
            }

            if (tile[0] > geo.Output[0] || tile[1] > geo.Output[1])
            {
                throw ctx.Fail($"tile [{tile[0]}, {tile[1]}] is larger than the output [{geo.Output[0]}, {geo.Output[1]}]: some weight sets would never be used");
            }

            if (w.Shape[0] != tile[0] || w.Shape[1] != tile[1])
            {
                throw ctx.Fail($"tiled weights '{w.Name}' {ShapeMath.Format(w.Shape)} must start with the tile [{tile[0]}, {tile[1]}]");
            }
        }

        ConvSupport.RequireIntCount(ctx, w.Shape, "weights");
        ConvSupport.RequireIntCount(ctx, [x.Shape[0], geo.Output[0], geo.Output[1], w.Shape[2]], "output");
        return (geo, tile);
    }
}
