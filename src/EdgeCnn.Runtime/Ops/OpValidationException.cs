namespace EdgeCnn.Runtime.Ops;

/// <summary>
/// Thrown by an operator's Infer when a node's inputs, attributes or declared outputs break the operator's rules.
/// The model reader turns it into an EcnnFormatException naming the node's file offset; the builder passes it through.
/// </summary>
public sealed class OpValidationException : Exception
{
    public OpValidationException(string message)
        : base(message)
    {
    }

    public OpValidationException()
    {
    }

    public OpValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
