using System.Runtime.InteropServices;
using System.Text;

namespace EdgeCnn.Bench.OnnxRuntime.Native;

/// <summary>
/// The ONNX Runtime C API functions we use, as typed unmanaged function pointers read once from the <c>OrtApi</c> table
/// (<see cref="OrtApiIndex"/>). Every <c>OrtStatus*</c>-returning call goes through <see cref="Check"/>, which turns a
/// non-null status into an <see cref="OnnxRuntimeException"/> naming the call and ONNX Runtime's own message.
/// Pointer-sized handles are <c>nint</c>; <c>size_t</c> is <c>nuint</c>; C strings are UTF-8 (Linux: ORTCHAR_T is char).
/// </summary>
internal sealed unsafe class OrtApi
{
    public readonly delegate* unmanaged<int, byte*, nint> CreateStatus;
    public readonly delegate* unmanaged<nint, int> GetErrorCode;
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionExecutionMode;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged<nint*, nint> CreateRunOptions;
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSession;
    public readonly delegate* unmanaged<nint, void> ReleaseValue;
    public readonly delegate* unmanaged<nint, void> ReleaseRunOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;
    public readonly delegate* unmanaged<nint, nint, nint, nint> RunWithBinding;
    public readonly delegate* unmanaged<nint, nint*, nint> CreateIoBinding;
    public readonly delegate* unmanaged<nint, void> ReleaseIoBinding;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindInput;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindOutput;

    public OrtApi(nint* table)
    {
        CreateStatus = (delegate* unmanaged<int, byte*, nint>)table[OrtApiIndex.CreateStatus];
        GetErrorCode = (delegate* unmanaged<nint, int>)table[OrtApiIndex.GetErrorCode];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)table[OrtApiIndex.GetErrorMessage];
        CreateEnv = (delegate* unmanaged<int, byte*, nint*, nint>)table[OrtApiIndex.CreateEnv];
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)table[OrtApiIndex.CreateSession];
        CreateSessionFromArray = (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)table[OrtApiIndex.CreateSessionFromArray];
        Run = (delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)table[OrtApiIndex.Run];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)table[OrtApiIndex.CreateSessionOptions];
        SetSessionExecutionMode = (delegate* unmanaged<nint, int, nint>)table[OrtApiIndex.SetSessionExecutionMode];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)table[OrtApiIndex.SetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[OrtApiIndex.SetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[OrtApiIndex.SetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)table[OrtApiIndex.SessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)table[OrtApiIndex.SessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[OrtApiIndex.SessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[OrtApiIndex.SessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[OrtApiIndex.SessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[OrtApiIndex.SessionGetOutputName];
        CreateRunOptions = (delegate* unmanaged<nint*, nint>)table[OrtApiIndex.CreateRunOptions];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)table[OrtApiIndex.CreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)table[OrtApiIndex.GetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)table[OrtApiIndex.CastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)table[OrtApiIndex.GetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)table[OrtApiIndex.GetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)table[OrtApiIndex.GetDimensionsCount];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)table[OrtApiIndex.GetDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)table[OrtApiIndex.GetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)table[OrtApiIndex.CreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)table[OrtApiIndex.AllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)table[OrtApiIndex.GetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseSession];
        ReleaseValue = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseValue];
        ReleaseRunOptions = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseRunOptions];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseSessionOptions];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)table[OrtApiIndex.AddSessionConfigEntry];
        RunWithBinding = (delegate* unmanaged<nint, nint, nint, nint>)table[OrtApiIndex.RunWithBinding];
        CreateIoBinding = (delegate* unmanaged<nint, nint*, nint>)table[OrtApiIndex.CreateIoBinding];
        ReleaseIoBinding = (delegate* unmanaged<nint, void>)table[OrtApiIndex.ReleaseIoBinding];
        BindInput = (delegate* unmanaged<nint, byte*, nint, nint>)table[OrtApiIndex.BindInput];
        BindOutput = (delegate* unmanaged<nint, byte*, nint, nint>)table[OrtApiIndex.BindOutput];
        for (int i = 0; i < OrtApiIndex.Count; i++)
        {
            if (table[i] == 0)
            {
                throw new OnnxRuntimeException($"OrtApi entry {i} is null: the library does not implement the API table of ORT_API_VERSION {OrtApiIndex.ApiVersion}");
            }
        }
    }

    /// <summary>Throws for a non-null status, with ONNX Runtime's code and message, after releasing the status.</summary>
    public void Check(nint status, string call)
    {
        if (status != 0)
        {
            Throw(status, call);
        }
    }

    /// <summary>
    /// Proves the table is read at the right positions: a status made by CreateStatus must come back through GetErrorCode
    /// and GetErrorMessage unchanged. A wrong ORT_API_VERSION or a shifted table fails here instead of crashing later.
    /// </summary>
    public void SelfCheck()
    {
        const string probe = "edgecnn OrtApi self-check";
        byte[] msg = Utf8Z(probe);
        nint status;
        fixed (byte* p = msg)
        {
            status = CreateStatus((int)OrtErrorCode.NotImplemented, p);
        }

        if (status == 0)
        {
            throw new OnnxRuntimeException("OrtApi::CreateStatus returned null: the function table does not match ONNX Runtime's C API");
        }

        try
        {
            int code = GetErrorCode(status);
            string? text = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status));
            if (code != (int)OrtErrorCode.NotImplemented || !string.Equals(text, probe, StringComparison.Ordinal))
            {
                throw new OnnxRuntimeException($"OrtApi self-check read code {code} and message '{text}' back from a status made with "
                    + $"code {(int)OrtErrorCode.NotImplemented} and '{probe}': the function table does not match ONNX Runtime's C API");
            }
        }
        finally
        {
            ReleaseStatus(status);
        }
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="s"/>, for C strings.</summary>
    public static byte[] Utf8Z(string s)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    private void Throw(nint status, string call)
    {
        OrtErrorCode code = (OrtErrorCode)GetErrorCode(status);
        string message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        throw new OnnxRuntimeException(code, call, message);
    }
}
