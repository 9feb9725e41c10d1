namespace EdgeCnn.Converter.Qdq;

/// <summary>A model that cannot be written as QDQ ONNX: names the node and what has no ONNX form.</summary>
public sealed class QdqExportException : Exception
{
    public QdqExportException(string message)
        : base(message)
    {
    }

    public QdqExportException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public QdqExportException()
    {
    }
}
