using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Format;

/// <summary>
/// The bytes of a model file, in memory that does not move: a 64-byte-aligned native copy, or a read-only memory map of
/// the file (page aligned, so the file's 64-byte-aligned weights stay aligned and are used in place).
/// </summary>
public sealed unsafe class ModelBuffer : IDisposable
{
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _pointer;
    private readonly bool _native;

    private ModelBuffer(byte* pointer, long length, bool native, MemoryMappedFile? map, MemoryMappedViewAccessor? view)
    {
        _pointer = pointer;
        Length = length;
        _native = native;
        _map = map;
        _view = view;
    }

    public long Length { get; }

    public byte* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(ModelBuffer));

    public ReadOnlySpan<byte> Span => new(Pointer, checked((int)Length));

    public static ModelBuffer CopyOf(ReadOnlySpan<byte> bytes)
    {
        nuint n = (nuint)Math.Max(bytes.Length, 1);
        byte* p = (byte*)NativeMemory.AlignedAlloc(n, 64);
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        return new ModelBuffer(p, bytes.Length, native: true, null, null);
    }

    public static ModelBuffer Map(string path)
    {
        long length = new FileInfo(path).Length;
        if (length == 0)
        {
            // A zero-length file cannot be mapped; an empty copy makes the reader report the truncation.
            return CopyOf([]);
        }

        if (length > int.MaxValue)
        {
            throw new EcnnFormatException(0, "file.size", $"file is {length} bytes; at most {int.MaxValue} are supported");
        }

        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        return new ModelBuffer(p + view.PointerOffset, length, native: false, map, view);
    }

    public void Dispose()
    {
        if (_pointer == null)
        {
            return;
        }

        if (_native)
        {
            NativeMemory.AlignedFree(_pointer);
        }
        else
        {
            _view!.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map!.Dispose();
            _view = null;
            _map = null;
        }

        _pointer = null;
    }
}
