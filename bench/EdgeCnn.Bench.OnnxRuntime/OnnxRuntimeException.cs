using EdgeCnn.Bench.OnnxRuntime.Native;

namespace EdgeCnn.Bench.OnnxRuntime;

/// <summary>
/// ONNX Runtime failed or could not be used: a non-null OrtStatus (with its code, the C API call and ONNX Runtime's own
/// message), a library that cannot be found, fetched or loaded, or an input that does not match the model.
/// </summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException()
    {
    }

    public OnnxRuntimeException(string message)
        : base(message)
    {
    }

    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnnxRuntimeException(OrtErrorCode code, string call, string ortMessage)
        : base($"ONNX Runtime {call} failed ({code}): {ortMessage}")
    {
        Code = code;
        Call = call;
    }

    /// <summary>ONNX Runtime's error code, or <see cref="OrtErrorCode.Ok"/> when the error is ours (not from an OrtStatus).</summary>
    public OrtErrorCode Code { get; }

    /// <summary>The C API call that returned the status (with what it was called on), or null.</summary>
    public string? Call { get; }
}
