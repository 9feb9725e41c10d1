using EdgeCnn.Vision.Capture;
using EdgeCnn.Vision.Frames;

namespace EdgeCnn.Vision.Tests.Capture;

/// <summary>A camera that cannot start is one clear error naming the device, the step and the errno. (Capture itself is
/// tested against the real vivid driver in tests/vm.)</summary>
public class V4L2CameraErrorTests
{
    [Fact]
    public void Missing_device_names_the_path_open_and_enoent()
    {
        var e = Assert.Throws<CameraException>(() => new V4L2Camera(new CameraOptions("/dev/edgecnn-no-such-video", 640, 480, PixelFormat.Yuyv)));
        Assert.Contains("/dev/edgecnn-no-such-video: open failed: errno 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("plugged in", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Errno);
    }

    [Fact]
    public void A_device_that_is_not_a_camera_fails_querycap()
    {
        var e = Assert.Throws<CameraException>(() => new V4L2Camera(new CameraOptions("/dev/null", 640, 480, PixelFormat.Yuyv)));
        Assert.Contains("/dev/null: VIDIOC_QUERYCAP failed: errno 25", e.Message, StringComparison.Ordinal); // ENOTTY
    }
}
