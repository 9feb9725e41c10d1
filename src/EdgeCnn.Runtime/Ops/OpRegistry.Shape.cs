using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

public static partial class OpRegistry
{
    static partial void RegisterShape(List<Operator> ops)
    {
        ops.Add(new ViewOperator(OpCode.Flatten, [AttributeKey.Axis], ViewOperator.Flatten));
        ops.Add(new ViewOperator(OpCode.Reshape, [AttributeKey.Shape], ViewOperator.Reshape));
        ops.Add(new ViewOperator(OpCode.Squeeze, [AttributeKey.Axes], ViewOperator.Squeeze));
        ops.Add(new ViewOperator(OpCode.Unsqueeze, [AttributeKey.Axes], ViewOperator.Unsqueeze));
        // Dropout is the identity at inference; Alpha may carry the training ratio and is ignored.
        ops.Add(new ViewOperator(OpCode.Dropout, [AttributeKey.Alpha], (_, s) => (int[])s.Clone()));
        ops.Add(new TransposeOperator());
        ops.Add(new ConcatOperator());
        ops.Add(new PadOperator());
        ops.Add(new ResizeOperator());
    }
}
