using System.Runtime.InteropServices;
using EdgeCnn.Bench.OnnxRuntime.Native;

namespace EdgeCnn.Bench.OnnxRuntime;

/// <summary>
/// ONNX Runtime loaded into this process: the native library, its C API table (OrtGetApiBase -> GetApi(30)), one OrtEnv
/// and the CPU memory description and default allocator every session shares. Loaded once per process (ONNX Runtime's
/// environment is process-wide); these objects live until the process exits.
/// </summary>
public sealed unsafe class OnnxRuntimeLibrary
{
    private static readonly Lock s_gate = new();
    private static OnnxRuntimeLibrary? s_loaded;

    private OnnxRuntimeLibrary(string path, nint library)
    {
        Path = path;
        nint getApiBase;
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out getApiBase))
        {
            throw new OnnxRuntimeException($"{path} exports no OrtGetApiBase: it is not an ONNX Runtime library");
        }

        OrtApiBase* apiBase = ((delegate* unmanaged<OrtApiBase*>)getApiBase)();
        if (apiBase == null)
        {
            throw new OnnxRuntimeException($"OrtGetApiBase() of {path} returned null");
        }

        VersionString = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "(unknown)";
        nint* table = (nint*)apiBase->GetApi(OrtApiIndex.ApiVersion);
        if (table == null)
        {
            throw new OnnxRuntimeException($"ONNX Runtime {VersionString} at {path} does not provide C API version {OrtApiIndex.ApiVersion} "
                + $"(ONNX Runtime {OnnxRuntimePackage.Version} or newer is needed)");
        }

        Api = new OrtApi(table);
        Api.SelfCheck();

        nint env, memoryInfo, allocator;
        fixed (byte* logId = OrtApi.Utf8Z("edgecnn"))
        {
            Api.Check(Api.CreateEnv(OrtConstants.LoggingLevelError, logId, &env), "CreateEnv");
        }

        Api.Check(Api.CreateCpuMemoryInfo(OrtConstants.ArenaAllocator, OrtConstants.MemTypeDefault, &memoryInfo), "CreateCpuMemoryInfo");
        Api.Check(Api.GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");
        Env = env;
        CpuMemoryInfo = memoryInfo;
        DefaultAllocator = allocator;
    }

    /// <summary>The loaded library file.</summary>
    public string Path { get; }

    /// <summary>ONNX Runtime's own version string (OrtApiBase::GetVersionString), e.g. "1.30.0".</summary>
    public string VersionString { get; }

    internal OrtApi Api { get; }

    internal nint Env { get; }

    internal nint CpuMemoryInfo { get; }

    internal nint DefaultAllocator { get; }

    /// <summary>
    /// Loads ONNX Runtime once per process from <paramref name="libraryPath"/>, or from where
    /// <see cref="OnnxRuntimePackage.Locate"/> finds (or fetches) it. A later call returns the same library; asking for a
    /// different file then is an error, since one process holds one ONNX Runtime.
    /// </summary>
    public static OnnxRuntimeLibrary Load(string? libraryPath = null, Action<string>? log = null)
    {
        lock (s_gate)
        {
            if (s_loaded is not null)
            {
                if (libraryPath is not null && !string.Equals(System.IO.Path.GetFullPath(libraryPath), s_loaded.Path, StringComparison.Ordinal))
                {
                    throw new OnnxRuntimeException($"ONNX Runtime is already loaded from {s_loaded.Path}; cannot load {libraryPath} too");
                }

                return s_loaded;
            }

            string path = OnnxRuntimePackage.Locate(libraryPath, log);
            nint library;
            try
            {
                library = NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                throw new OnnxRuntimeException($"cannot load {path}: {e.Message}", e);
            }
            catch (BadImageFormatException e)
            {
                throw new OnnxRuntimeException($"{path} is not a shared library for this machine: {e.Message}", e);
            }

            s_loaded = new OnnxRuntimeLibrary(path, library);
            return s_loaded;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct OrtApiBase
    {
        public readonly delegate* unmanaged<uint, void*> GetApi;
        public readonly delegate* unmanaged<byte*> GetVersionString;
    }
}
