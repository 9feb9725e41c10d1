using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Memory;

/// <summary>One 64-byte-aligned native block holding every activation and scratch buffer of a session.</summary>
public sealed unsafe class Arena : IDisposable
{
    private byte* _base;

    public Arena(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Bytes = bytes;
        _base = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, ArenaPlanner.Alignment), ArenaPlanner.Alignment);
        NativeMemory.Clear(_base, (nuint)Math.Max(bytes, ArenaPlanner.Alignment));
    }

    public long Bytes { get; }

    public byte* Base => _base != null ? _base : throw new ObjectDisposedException(nameof(Arena));

    public void Dispose()
    {
        if (_base != null)
        {
            NativeMemory.AlignedFree(_base);
            _base = null;
        }
    }
}
