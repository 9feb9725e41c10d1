namespace EdgeCnn.Converter.Onnx;

/// <summary>
/// The one exception an ONNX model can cause in the converter: unsupported ops, attribute values or types, and malformed
/// models. It names the node (name, op type, domain, opset) when a node is at fault, and what is supported.
/// </summary>
public sealed class OnnxImportException : Exception
{
    public OnnxImportException(string message)
        : base(message)
    {
    }

    public OnnxImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnnxImportException()
    {
    }

    /// <summary>The node at fault, as "name (op_type, domain 'x', opset N)", or null for a model-level problem.</summary>
    public string? Node { get; init; }

    /// <summary>
    /// The value that had to be known at conversion time but is a graph input (weights fed as inputs, as ONNX's node tests
    /// do). Binding it with ConversionOptions.FixedInputs makes the model convertible.
    /// </summary>
    public string? ConstantRequired { get; init; }

    /// <summary>True when the model is valid ONNX that this converter does not support (as opposed to malformed).</summary>
    public bool IsUnsupported { get; init; }
}
