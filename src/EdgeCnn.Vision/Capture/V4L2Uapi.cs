using System.Runtime.InteropServices;

namespace EdgeCnn.Vision.Capture;

/// <summary>
/// The V4L2 uAPI subset used for mmap streaming capture (linux/videodev2.h), laid out byte for byte for LP64 Linux
/// (x86-64 and arm64 agree); V4L2UapiLayoutTests asserts every size and offset against the C compiler's values.
/// </summary>
internal static class V4L2Uapi
{
    public const nuint QueryCap = 0x80685600;   // _IOR('V', 0, struct v4l2_capability)
    public const nuint GetFormat = 0xC0D05604;  // _IOWR('V', 4, struct v4l2_format)
    public const nuint SetFormat = 0xC0D05605;  // _IOWR('V', 5, struct v4l2_format)
    public const nuint ReqBufs = 0xC0145608;    // _IOWR('V', 8, struct v4l2_requestbuffers)
    public const nuint QueryBuf = 0xC0585609;   // _IOWR('V', 9, struct v4l2_buffer)
    public const nuint QBuf = 0xC058560F;       // _IOWR('V', 15, struct v4l2_buffer)
    public const nuint DQBuf = 0xC0585611;      // _IOWR('V', 17, struct v4l2_buffer)
    public const nuint StreamOn = 0x40045612;   // _IOW('V', 18, int)
    public const nuint StreamOff = 0x40045613;  // _IOW('V', 19, int)
    public const nuint SetParm = 0xC0CC5616;    // _IOWR('V', 22, struct v4l2_streamparm)
    public const uint BufTypeVideoCapture = 1;
    public const uint MemoryMmap = 1;
    public const uint FieldNone = 1;
    public const uint CapVideoCapture = 0x1;

    /// <summary>
    /// Why these structs cannot be used in a process with <paramref name="pointerBytes"/>-byte pointers, or null. A 32-bit
    /// process (armhf Raspberry Pi OS) would pass 64-bit layouts, and ioctl numbers that encode their sizes, to a kernel
    /// expecting the 32-bit ones (v4l2_buffer is 68 or 80 bytes there, not 88).
    /// </summary>
    public static string? LayoutProblem(int pointerBytes) => pointerBytes == 8 ? null
        : $"the V4L2 binding is laid out for 64-bit Linux (x86-64, arm64) and this process has {pointerBytes * 8}-bit pointers; run a 64-bit OS (Raspberry Pi OS 64-bit) and a linux-arm64 or linux-x64 build";
    public const uint CapStreaming = 0x04000000;
    public const uint CapDeviceCaps = 0x80000000;
    public const uint BufFlagError = 0x40;
    public const uint BufFlagTimestampMask = 0xE000;
    public const uint BufFlagTimestampMonotonic = 0x2000;
}

/// <summary>struct v4l2_capability: 104 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 104)]
internal unsafe struct V4L2Capability
{
    public fixed byte Driver[16];
    public fixed byte Card[32];
    public fixed byte BusInfo[32];
    public uint Version;
    public uint Capabilities;
    public uint DeviceCaps;
}

/// <summary>struct v4l2_format with the single-planar struct v4l2_pix_format at offset 8 of its 200-byte union: 208 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 208)]
internal struct V4L2Format
{
    [FieldOffset(0)]
    public uint Type;

    [FieldOffset(8)]
    public uint Width;

    [FieldOffset(12)]
    public uint Height;

    [FieldOffset(16)]
    public uint PixelFormat;

    [FieldOffset(20)]
    public uint Field;

    [FieldOffset(24)]
    public uint BytesPerLine;

    [FieldOffset(28)]
    public uint SizeImage;

    [FieldOffset(32)]
    public uint Colorspace;
}

/// <summary>struct v4l2_requestbuffers: 20 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 20)]
internal struct V4L2RequestBuffers
{
    public uint Count;
    public uint Type;
    public uint Memory;
    public uint Capabilities;
    public uint FlagsAndReserved;
}

/// <summary>struct v4l2_buffer on LP64 (struct timeval is two 8-byte longs): 88 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
internal struct V4L2Buffer
{
    [FieldOffset(0)]
    public uint Index;

    [FieldOffset(4)]
    public uint Type;

    [FieldOffset(8)]
    public uint BytesUsed;

    [FieldOffset(12)]
    public uint Flags;

    [FieldOffset(16)]
    public uint Field;

    [FieldOffset(24)]
    public long TimestampSec;

    [FieldOffset(32)]
    public long TimestampUsec;

    [FieldOffset(56)]
    public uint Sequence;

    [FieldOffset(60)]
    public uint Memory;

    /// <summary>m.offset: the mmap offset of an MMAP buffer.</summary>
    [FieldOffset(64)]
    public uint Offset;

    [FieldOffset(72)]
    public uint Length;
}

/// <summary>struct v4l2_streamparm (capture member): 204 bytes; timeperframe at 12 (numerator) and 16 (denominator).</summary>
[StructLayout(LayoutKind.Explicit, Size = 204)]
internal struct V4L2StreamParm
{
    [FieldOffset(0)]
    public uint Type;

    [FieldOffset(4)]
    public uint Capability;

    [FieldOffset(12)]
    public uint TimePerFrameNumerator;

    [FieldOffset(16)]
    public uint TimePerFrameDenominator;
}
