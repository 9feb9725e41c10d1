using EdgeCnn.Runtime.Graph;

namespace EdgeCnn.Runtime.Ops;

public static partial class OpRegistry
{
    static partial void RegisterNormalization(List<Operator> ops)
    {
        ops.Add(new BatchNormOp());
        ops.Add(new ChannelClipOp());
        ops.Add(new SoftmaxOp(OpCode.Softmax, log: false));
        ops.Add(new SoftmaxOp(OpCode.LogSoftmax, log: true));
        ops.Add(new MaxoutOp());
    }
}
