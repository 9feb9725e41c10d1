namespace EdgeCnn.Runtime.Ops;

public static partial class OpRegistry
{
    static partial void RegisterQuantization(List<Operator> ops)
    {
        ops.Add(new Quantize());
        ops.Add(new Dequantize());
    }
}
