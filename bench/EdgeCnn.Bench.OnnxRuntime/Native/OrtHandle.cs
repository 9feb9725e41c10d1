using System.Runtime.InteropServices;

namespace EdgeCnn.Bench.OnnxRuntime.Native;

/// <summary>
/// An ONNX Runtime object (OrtSession, OrtValue, OrtIoBinding, ...) owned by .NET: released exactly once through its own
/// <c>OrtApi::ReleaseX</c>, also when the owner is never disposed (the finalizer) or a handle is in use by a running call
/// (SafeHandle's reference count).
/// </summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged<nint, void> _release;

    public OrtHandle(nint handle, delegate* unmanaged<nint, void> release, string kind)
        : base(0, ownsHandle: true)
    {
        _release = release;
        Kind = kind;
        SetHandle(handle);
    }

    /// <summary>What the handle is (for messages): "OrtSession", "OrtValue", ...</summary>
    public string Kind { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw pointer, for a call made while the owner keeps this handle alive.</summary>
    public nint Raw => handle;

    protected override bool ReleaseHandle()
    {
        _release(handle);
        return true;
    }
}
