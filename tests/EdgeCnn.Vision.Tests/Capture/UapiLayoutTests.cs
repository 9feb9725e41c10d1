using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Vision.Capture;

namespace EdgeCnn.Vision.Tests.Capture;

/// <summary>The V4L2 structs against the sizes and offsets gcc gives for linux/videodev2.h on LP64 (x86-64 and arm64).</summary>
public class UapiLayoutTests
{
    [Fact]
    public void A_32_bit_process_is_refused_with_the_reason_before_any_ioctl()
    {
        Assert.Null(V4L2Uapi.LayoutProblem(8));
        Assert.Contains("64-bit", V4L2Uapi.LayoutProblem(4), StringComparison.Ordinal);
        Assert.Null(V4L2Uapi.LayoutProblem(IntPtr.Size)); // this test host is 64-bit: the camera opens
    }

    [Fact]
    public void Struct_sizes_match_the_kernel_headers()
    {
        Assert.Equal(104, Unsafe.SizeOf<V4L2Capability>());
        Assert.Equal(208, Unsafe.SizeOf<V4L2Format>());
        Assert.Equal(20, Unsafe.SizeOf<V4L2RequestBuffers>());
        Assert.Equal(88, Unsafe.SizeOf<V4L2Buffer>());
        Assert.Equal(204, Unsafe.SizeOf<V4L2StreamParm>());
        Assert.Equal(8, Unsafe.SizeOf<PollFd>());
    }

    [Fact]
    public void Field_offsets_match_the_kernel_headers()
    {
        Assert.Equal(84, (int)Marshal.OffsetOf<V4L2Capability>(nameof(V4L2Capability.Capabilities)));
        Assert.Equal(88, (int)Marshal.OffsetOf<V4L2Capability>(nameof(V4L2Capability.DeviceCaps)));
        Assert.Equal(8, (int)Marshal.OffsetOf<V4L2Format>(nameof(V4L2Format.Width)));
        Assert.Equal(24, (int)Marshal.OffsetOf<V4L2Format>(nameof(V4L2Format.BytesPerLine)));
        Assert.Equal(28, (int)Marshal.OffsetOf<V4L2Format>(nameof(V4L2Format.SizeImage)));
        Assert.Equal(24, (int)Marshal.OffsetOf<V4L2Buffer>(nameof(V4L2Buffer.TimestampSec)));
        Assert.Equal(56, (int)Marshal.OffsetOf<V4L2Buffer>(nameof(V4L2Buffer.Sequence)));
        Assert.Equal(64, (int)Marshal.OffsetOf<V4L2Buffer>(nameof(V4L2Buffer.Offset)));
        Assert.Equal(72, (int)Marshal.OffsetOf<V4L2Buffer>(nameof(V4L2Buffer.Length)));
        Assert.Equal(12, (int)Marshal.OffsetOf<V4L2StreamParm>(nameof(V4L2StreamParm.TimePerFrameNumerator)));
    }

    [Fact]
    public void Ioctl_numbers_encode_the_struct_sizes()
    {
        // _IOC(dir, 'V', nr, size): size in bits 16..29
        Assert.Equal(208u, (uint)(V4L2Uapi.SetFormat >> 16) & 0x3FFF);
        Assert.Equal(88u, (uint)(V4L2Uapi.DQBuf >> 16) & 0x3FFF);
        Assert.Equal(20u, (uint)(V4L2Uapi.ReqBufs >> 16) & 0x3FFF);
        Assert.Equal(204u, (uint)(V4L2Uapi.SetParm >> 16) & 0x3FFF);
    }
}
