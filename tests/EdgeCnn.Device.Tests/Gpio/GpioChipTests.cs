using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Device.Gpio;

namespace EdgeCnn.Device.Tests.Gpio;

/// <summary>The v2 uAPI structs against gcc's sizes and offsets for linux/gpio.h, and the chip's errors. (Driving real
/// lines is tested against gpio-sim in tests/vm.)</summary>
public class GpioChipTests
{
    [Fact]
    public void Struct_layout_matches_the_kernel_headers()
    {
        Assert.Equal(592, Unsafe.SizeOf<GpioV2LineRequest>());
        Assert.Equal(68, Unsafe.SizeOf<GpioChipInfo>());
        Assert.Equal(16, Unsafe.SizeOf<GpioV2LineValues>());
        Assert.Equal(288, (int)Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.ConfigFlags)));
        Assert.Equal(560, (int)Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.NumLines)));
        Assert.Equal(588, (int)Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.Fd)));
        Assert.Equal(592u, (uint)(GpioUapi.GetLine >> 16) & 0x3FFF);
        Assert.Equal(16u, (uint)(GpioUapi.LineSetValues >> 16) & 0x3FFF);
    }

    [Fact]
    public void Missing_chip_names_the_path_and_errno()
    {
        var e = Assert.Throws<GpioException>(() => new GpioChip("/dev/edgecnn-no-such-gpiochip"));
        Assert.Contains("/dev/edgecnn-no-such-gpiochip: open failed: errno 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_gpio_chip_fails_chipinfo()
    {
        var e = Assert.Throws<GpioException>(() => new GpioChip("/dev/null"));
        Assert.Contains("GPIO_GET_CHIPINFO_IOCTL failed: errno 25", e.Message, StringComparison.Ordinal);
    }
}
