namespace EdgeCnn.Runtime.Ops;

public static partial class OpRegistry
{
    static partial void RegisterConvolution(List<Operator> ops)
    {
        ops.Add(new ConvOperator());
        ops.Add(new ConvTransposeOperator());
        ops.Add(new TiledConvOperator(locallyConnected: true));
        ops.Add(new TiledConvOperator(locallyConnected: false));
        ops.Add(new DenseOperator());
    }
}
