using System.Runtime.InteropServices;

namespace EdgeCnn.Device.Gpio;

/// <summary>
/// The GPIO character device's v2 uAPI structs (linux/gpio.h), laid out byte for byte; sizes and offsets are asserted by
/// GpioUapiLayoutTests against the values the C compiler gives on x86-64 and arm64 (identical on both LP64 ABIs).
/// </summary>
internal static class GpioUapi
{
    public const nuint GetChipInfo = 0x8044B401;        // _IOR(0xB4, 0x01, struct gpiochip_info)
    public const nuint GetLine = 0xC250B407;            // _IOWR(0xB4, 0x07, struct gpio_v2_line_request)
    public const nuint LineGetValues = 0xC010B40E;      // _IOWR(0xB4, 0x0E, struct gpio_v2_line_values)
    public const nuint LineSetValues = 0xC010B40F;      // _IOWR(0xB4, 0x0F, struct gpio_v2_line_values)
    public const ulong FlagActiveLow = 0x2;
    public const ulong FlagInput = 0x4;
    public const ulong FlagOutput = 0x8;
    public const uint AttrIdOutputValues = 2;
}

/// <summary>struct gpiochip_info: 68 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 68)]
internal unsafe struct GpioChipInfo
{
    public fixed byte Name[32];
    public fixed byte Label[32];
    public uint Lines;
}

/// <summary>struct gpio_v2_line_request: 592 bytes (offsets[64] @0, consumer[32] @256, config @288, num_lines @560, fd @588).</summary>
[StructLayout(LayoutKind.Explicit, Size = 592)]
internal unsafe struct GpioV2LineRequest
{
    [FieldOffset(0)]
    public fixed uint Offsets[64];

    [FieldOffset(256)]
    public fixed byte Consumer[32];

    /// <summary>config.flags: applies to every line without an attribute overriding it.</summary>
    [FieldOffset(288)]
    public ulong ConfigFlags;

    [FieldOffset(296)]
    public uint ConfigNumAttrs;

    /// <summary>config.attrs[0].attr.id (each attribute: id u32, padding u32, value u64, then mask u64: 24 bytes).</summary>
    [FieldOffset(320)]
    public uint Attr0Id;

    [FieldOffset(328)]
    public ulong Attr0Value;

    [FieldOffset(336)]
    public ulong Attr0Mask;

    [FieldOffset(560)]
    public uint NumLines;

    [FieldOffset(564)]
    public uint EventBufferSize;

    [FieldOffset(588)]
    public int Fd;
}

/// <summary>struct gpio_v2_line_values: bits and mask, one bit per requested line.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineValues
{
    public ulong Bits;
    public ulong Mask;
}
