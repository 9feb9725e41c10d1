using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// y[i] = table[x[i] + 128] through the portable Vector128 API (SSSE3 pshufb / NEON tbl), 16 bytes per step, the same
/// nibble scheme as <see cref="X86.S8LutAvx2"/> (its slices: the first 16 bytes of each 32-byte slice are read). The last
/// 1..15 bytes go through a copy.
/// </summary>
public static unsafe class S8LutVector128
{
    /// <param name="slices">From <see cref="X86.S8LutAvx2.Slices"/> (pinned).</param>
    public static void Run(sbyte* x, sbyte* y, int count, byte* slices)
    {
        int i = 0;
        for (; i + 16 <= count; i += 16)
        {
            Lookup(Vector128.Load((byte*)(x + i)), slices).Store((byte*)(y + i));
        }

        if (i < count)
        {
            int n = count - i;
            byte* tail = stackalloc byte[16];
            Unsafe.CopyBlockUnaligned(tail, x + i, (uint)n);
            Lookup(Vector128.Load(tail), slices).Store(tail);
            Unsafe.CopyBlockUnaligned(y + i, tail, (uint)n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup(Vector128<byte> v, byte* slices)
    {
        Vector128<byte> index = v ^ Vector128.Create((byte)0x80);
        Vector128<byte> lo = index & Vector128.Create((byte)0x0F);
        Vector128<byte> hi = Vector128.ShiftRightLogical(index, 4);
        Vector128<byte> result = Vector128<byte>.Zero;
        for (int k = 0; k < 16; k++)
        {
            result |= Vector128.Shuffle(Vector128.Load(slices + (k * 32)), lo) & Vector128.Equals(hi, Vector128.Create((byte)k));
        }

        return result;
    }
}
