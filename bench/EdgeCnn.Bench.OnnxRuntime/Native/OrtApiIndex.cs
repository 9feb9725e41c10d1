namespace EdgeCnn.Bench.OnnxRuntime.Native;

/// <summary>
/// Positions of the functions we call in ONNX Runtime's <c>struct OrtApi</c>, a table of function pointers. Counted from
/// the declaration order of <c>include/onnxruntime/core/session/onnxruntime_c_api.h</c> with <c>ORT_API_VERSION 30</c>
/// (ONNX Runtime 1.30). ONNX Runtime only ever appends to this struct (its ABI promise), so these positions hold for every
/// version from the one that introduced each function onwards; <see cref="OrtApi"/> additionally checks at load time that
/// the status functions behave as their positions say.
/// </summary>
internal static class OrtApiIndex
{
    /// <summary>The <c>ORT_API_VERSION</c> we ask <c>OrtApiBase::GetApi</c> for: the table as ONNX Runtime 1.30 defines it.</summary>
    public const uint ApiVersion = 30;

    public const int CreateStatus = 0;
    public const int GetErrorCode = 1;
    public const int GetErrorMessage = 2;
    public const int CreateEnv = 3;
    public const int CreateSession = 7;
    public const int CreateSessionFromArray = 8;
    public const int Run = 9;
    public const int CreateSessionOptions = 10;
    public const int SetSessionExecutionMode = 13;
    public const int SetSessionGraphOptimizationLevel = 23;
    public const int SetIntraOpNumThreads = 24;
    public const int SetInterOpNumThreads = 25;
    public const int SessionGetInputCount = 30;
    public const int SessionGetOutputCount = 31;
    public const int SessionGetInputTypeInfo = 33;
    public const int SessionGetOutputTypeInfo = 34;
    public const int SessionGetInputName = 36;
    public const int SessionGetOutputName = 37;
    public const int CreateRunOptions = 39;
    public const int CreateTensorWithDataAsOrtValue = 49;
    public const int GetTensorMutableData = 51;
    public const int CastTypeInfoToTensorInfo = 55;
    public const int GetOnnxTypeFromTypeInfo = 56;
    public const int GetTensorElementType = 60;
    public const int GetDimensionsCount = 61;
    public const int GetDimensions = 62;
    public const int GetTensorTypeAndShape = 65;
    public const int CreateCpuMemoryInfo = 69;
    public const int AllocatorFree = 76;
    public const int GetAllocatorWithDefaultOptions = 78;
    public const int ReleaseEnv = 92;
    public const int ReleaseStatus = 93;
    public const int ReleaseMemoryInfo = 94;
    public const int ReleaseSession = 95;
    public const int ReleaseValue = 96;
    public const int ReleaseRunOptions = 97;
    public const int ReleaseTypeInfo = 98;
    public const int ReleaseTensorTypeAndShapeInfo = 99;
    public const int ReleaseSessionOptions = 100;
    public const int AddSessionConfigEntry = 130;
    public const int RunWithBinding = 133;
    public const int CreateIoBinding = 134;
    public const int ReleaseIoBinding = 135;
    public const int BindInput = 136;
    public const int BindOutput = 137;

    /// <summary>One past the highest position used: the table must hold at least this many entries.</summary>
    public const int Count = BindOutput + 1;
}
