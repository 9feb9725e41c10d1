using EdgeCnn.Vision.Imaging;

namespace EdgeCnn.Vision.Tests.Imaging;

public class ImageViewTests
{
    [Fact]
    public void Pixels_are_addressed_through_the_stride()
    {
        // 2x2 RGB with one padding byte per row; the last row needs no padding.
        byte[] bytes = [1, 2, 3, 4, 5, 6, 99, 7, 8, 9, 10, 11, 12];
        var view = new ImageView(2, 2, 3, 7, bytes);
        Assert.Equal((4, 8, 12), (view[1, 0, 0], view[0, 1, 1], view[1, 1, 2]));
    }

    [Fact]
    public void Views_that_do_not_fit_their_bytes_are_refused()
    {
        Assert.Contains("needs 13 bytes, the span has 12", Assert.Throws<ArgumentException>(() => new ImageView(2, 2, 3, 7, new byte[12])).Message, StringComparison.Ordinal);
        Assert.Equal("strideBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageView(2, 2, 3, 5, new byte[20])).ParamName);
        Assert.Equal("channels", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageView(2, 2, 4, 8, new byte[16])).ParamName);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageView(0, 2, 1, 8, new byte[16])).ParamName);
    }

    [Fact]
    public void DecodedImage_checks_its_pixel_count_and_views_itself()
    {
        Assert.Contains("needs 12", Assert.Throws<ArgumentException>(() => new DecodedImage(2, 2, 3, new byte[11])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecodedImage(2, 2, 2, new byte[8]));
        var image = new DecodedImage(3, 1, 1, [7, 8, 9]);
        ImageView view = image.AsView();
        Assert.Equal((3, 1, 1, 3, 9), (view.Width, view.Height, view.Channels, view.StrideBytes, view[2, 0, 0]));
    }
}
