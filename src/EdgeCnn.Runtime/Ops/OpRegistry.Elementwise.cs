using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

public static partial class OpRegistry
{
    static partial void RegisterElementwise(List<Operator> ops)
    {
        ops.Add(new BinaryArithmetic(OpCode.Add));
        ops.Add(new BinaryArithmetic(OpCode.Sub));
        ops.Add(new BinaryArithmetic(OpCode.Mul));
        ops.Add(new BinaryArithmetic(OpCode.Div));
        ops.Add(new PRelu());
    }
}
