using System.Runtime.CompilerServices;

namespace EdgeCnn.Runtime.Kernels.Int8;

/// <summary>Activation row reads shared by the int8 microkernels.</summary>
public static unsafe class S8Rows
{
    /// <summary>Row pointer of the call: the padding row as is, any other moved to the group's first channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static sbyte* Row(sbyte* p, sbyte* zero, nint offset) => p == zero ? p : p + offset;

    /// <summary>4 activations as one int (little-endian: byte i is channel k + i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Load4(sbyte* p) => Unsafe.ReadUnaligned<int>(p);

    /// <summary>
    /// The last 1..3 activations of a row, zero above: read byte by byte so nothing past the row is touched (the row may
    /// end the arena). The packed weights are 0 there, so the filler never matters, also after a u8 shift.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LoadTail(sbyte* p, int count) => count switch
    {
        1 => (byte)p[0],
        2 => (byte)p[0] | ((byte)p[1] << 8),
        _ => (byte)p[0] | ((byte)p[1] << 8) | ((byte)p[2] << 16),
    };
}
