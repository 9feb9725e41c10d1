using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

public static partial class OpRegistry
{
    static partial void RegisterPooling(List<Operator> ops)
    {
        ops.Add(new WindowPool(OpCode.MaxPool, PoolKind.Max, global: false));
        ops.Add(new WindowPool(OpCode.AveragePool, PoolKind.Average, global: false));
        ops.Add(new WindowPool(OpCode.LpPool, PoolKind.Lp, global: false));
        ops.Add(new WindowPool(OpCode.GlobalAveragePool, PoolKind.Average, global: true));
        ops.Add(new WindowPool(OpCode.GlobalMaxPool, PoolKind.Max, global: true));
    }
}
