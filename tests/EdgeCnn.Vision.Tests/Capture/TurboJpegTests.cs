using EdgeCnn.Vision.Capture;

namespace EdgeCnn.Vision.Tests.Capture;

public class TurboJpegTests
{
    [Fact]
    public void A_frame_that_decodes_with_a_libjpeg_warning_is_used_not_dropped()
    {
        // Cheap USB webcams send MJPEG frames with stray bytes between markers; libjpeg decodes them completely and only
        // warns ("Corrupt JPEG data: 2 extraneous bytes before marker 0xda"), and TurboJPEG 2.x returns -1 for a warning too.
        // Treating that as corrupt dropped every frame of such a camera.
        Assert.True(TurboJpeg.IsAvailable, "libturbojpeg is not installed: " + TurboJpeg.Package + " (tests/run installs it)");
        using TurboJpeg jpeg = TurboJpeg.Open();
        byte[] rgb = new byte[32 * 16 * 3];
        for (int i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)(i * 7);
        }

        byte[] clean = jpeg.Encode(rgb, 32, 16, 3, quality: 90);
        int sos = Enumerable.Range(2, clean.Length - 3).First(i => clean[i] == 0xFF && clean[i + 1] == 0xDA);
        byte[] stray = [.. clean[..sos], 0x12, 0x34, .. clean[sos..]];
        var expected = new byte[rgb.Length];
        var actual = new byte[rgb.Length];
        jpeg.Decode(clean, expected, 32, 16, 3);
        jpeg.Decode(stray, actual, 32, 16, 3);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_frame_that_cannot_be_decoded_is_still_an_error()
    {
        Assert.True(TurboJpeg.IsAvailable, "libturbojpeg is not installed: " + TurboJpeg.Package + " (tests/run installs it)");
        using TurboJpeg jpeg = TurboJpeg.Open();
        byte[] clean = jpeg.Encode(new byte[32 * 16 * 3], 32, 16, 3, quality: 90);
        byte[] cut = clean[..(clean.Length / 3)];
        Assert.Throws<InvalidDataException>(() => jpeg.Decode(cut, new byte[32 * 16 * 3], 32, 16, 3));
        Assert.Throws<InvalidDataException>(() => jpeg.Decode([0xFF, 0xD8, 0x00], new byte[32 * 16 * 3], 32, 16, 3));
    }
}
