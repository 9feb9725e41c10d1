using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Plan-time memory a kernel keeps for the session's life (packed weights, indirection pointers, zero rows): a pinned
/// managed array, so the GC frees it with the kernel and Run sees a fixed pointer, aligned to 64 bytes (a cache line, and a
/// zmm load).
/// </summary>
internal sealed unsafe class PinnedBuffer<T>
    where T : unmanaged
{
    private const int Alignment = 64;
    private readonly byte[] _bytes;

    public PinnedBuffer(long length)
    {
        long bytes = checked((length * sizeof(T)) + Alignment);
        if (bytes > Array.MaxLength)
        {
            throw new InvalidOperationException($"a kernel buffer of {length} elements is more than one array can hold");
        }

        _bytes = GC.AllocateArray<byte>((int)bytes, pinned: true); // zeroed
        nint p = (nint)Marshal.UnsafeAddrOfPinnedArrayElement(_bytes, 0);
        Pointer = (T*)((p + Alignment - 1) & ~(nint)(Alignment - 1));
        Length = length;
    }

    public T* Pointer { get; }

    public long Length { get; }

    public Span<T> Span => new(Pointer, checked((int)Length));
}
