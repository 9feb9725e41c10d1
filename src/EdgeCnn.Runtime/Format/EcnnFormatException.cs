namespace EdgeCnn.Runtime.Format;

/// <summary>
/// The one exception a model file can cause. It names the byte offset where the offending record starts and the rule of
/// FORMAT.md that the bytes break, so a corrupt or hostile file is diagnosed without a debugger.
/// </summary>
public sealed class EcnnFormatException : Exception
{
    public EcnnFormatException(long offset, string rule, string message)
        : base($"invalid .ecnn file at byte {offset}: [{rule}] {message}")
    {
        Offset = offset;
        Rule = rule;
    }

    public EcnnFormatException()
        : this(0, "unknown", "invalid .ecnn file")
    {
    }

    public EcnnFormatException(string message)
        : this(0, "unknown", message)
    {
    }

    public EcnnFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rule = "unknown";
    }

    /// <summary>Byte offset in the file of the record (or field) that broke the rule.</summary>
    public long Offset { get; }

    /// <summary>Short rule identifier from FORMAT.md, e.g. "tensor.dims", "graph.cycle".</summary>
    public string Rule { get; }
}
