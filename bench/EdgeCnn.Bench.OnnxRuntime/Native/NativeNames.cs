using System.Runtime.InteropServices;

namespace EdgeCnn.Bench.OnnxRuntime.Native;

/// <summary>
/// Names as a native <c>const char* const*</c> array of NUL-terminated UTF-8 strings, made once so that every Run passes
/// the same pointers without marshalling.
/// </summary>
internal sealed unsafe class NativeNames : IDisposable
{
    private byte** _pointers;
    private readonly int _count;

    public NativeNames(IEnumerable<string> names)
    {
        string[] all = names.ToArray();
        _count = all.Length;
        _pointers = (byte**)NativeMemory.AllocZeroed((nuint)Math.Max(1, all.Length), (nuint)sizeof(byte*));
        for (int i = 0; i < all.Length; i++)
        {
            _pointers[i] = (byte*)Marshal.StringToCoTaskMemUTF8(all[i]);
        }
    }

    public byte** Pointers => _pointers != null ? _pointers : throw new ObjectDisposedException(nameof(NativeNames));

    public byte* this[int index] => Pointers[index];

    public void Dispose()
    {
        if (_pointers == null)
        {
            return;
        }

        for (int i = 0; i < _count; i++)
        {
            Marshal.FreeCoTaskMem((nint)_pointers[i]);
        }

        NativeMemory.Free(_pointers);
        _pointers = null;
    }
}
