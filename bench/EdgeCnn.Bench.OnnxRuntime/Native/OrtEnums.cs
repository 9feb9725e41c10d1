namespace EdgeCnn.Bench.OnnxRuntime.Native;

/// <summary><c>OrtErrorCode</c> of onnxruntime_c_api.h (the values the C API returns in an OrtStatus).</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
}

/// <summary><c>GraphOptimizationLevel</c> of onnxruntime_c_api.h.</summary>
public enum OrtGraphOptimization
{
    DisableAll = 0,
    Basic = 1,
    Extended = 2,
    Layout = 3,
    All = 99,
}

/// <summary><c>ONNXType</c> of onnxruntime_c_api.h (what kind of value an input or output is).</summary>
internal enum OnnxValueType
{
    Unknown = 0,
    Tensor = 1,
    Sequence = 2,
    Map = 3,
    Opaque = 4,
    SparseTensor = 5,
    Optional = 6,
}

/// <summary>Constants of onnxruntime_c_api.h passed as plain ints.</summary>
internal static class OrtConstants
{
    public const int LoggingLevelWarning = 2; // OrtLoggingLevel ORT_LOGGING_LEVEL_WARNING
    public const int LoggingLevelError = 3; // ORT_LOGGING_LEVEL_ERROR
    public const int ExecutionModeSequential = 0; // ExecutionMode ORT_SEQUENTIAL
    public const int ArenaAllocator = 1; // OrtAllocatorType OrtArenaAllocator
    public const int MemTypeDefault = 0; // OrtMemType OrtMemTypeDefault
}
