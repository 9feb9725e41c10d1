using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Vision.Tests.Preprocessing;

public class PreprocessSpecTests
{
    [Fact]
    public void Scale_mean_and_std_map_pixels_as_stated()
    {
        PreprocessSpec p = PreprocessSpec.Parse("""{"layout":"NCHW","scale":0.5,"mean":[10],"std":[4]}""");
        var x = new float[3];
        p.ApplyGrey([0, 20, 255], x);
        Assert.Equal([(0 * 0.5f - 10) / 4, (20 * 0.5f - 10) / 4, (255 * 0.5f - 10) / 4], x);
    }

    [Fact]
    public void Absent_fields_default_to_pixels_as_they_are()
    {
        PreprocessSpec p = PreprocessSpec.Parse("{}");
        var x = new float[2];
        p.ApplyGrey([3, 200], x);
        Assert.Equal([3f, 200f], x);
        Assert.Equal((1f, null, ResizeMethod.Bilinear, CropMode.None, null), (p.Scale, p.Color, p.Resize, p.Crop, p.Layout));
        Assert.Equal([0f], p.Mean);
        Assert.Equal([1f], p.Std);
    }

    [Fact]
    public void Version_1_metadata_still_parses_with_its_descriptive_fields()
    {
        // What BuiltInModel and the converter tests store: upper-case layout and a "channels" field v2 does not use.
        PreprocessSpec p = PreprocessSpec.Parse("""{"layout":"NHWC","channels":"grey","scale":1,"mean":[127.5],"std":[127.5]}""");
        Assert.Equal((TensorLayout.Nhwc, 1f, 127.5f, 127.5f), (p.Layout, p.Scale, p.MeanOf(0), p.StdOf(0)));
        Assert.Equal(0.00392156862745098f, PreprocessSpec.Parse("""{"scale":0.00392156862745098,"mean":[0],"std":[1]}""").Scale);
    }

    public static TheoryData<PreprocessSpec> Specs() =>
    [
        PreprocessSpec.Identity,
        new(1f / 255f, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], ColorOrder.Rgb, ResizeMethod.Bilinear, CropMode.Center, TensorLayout.Nchw),
        new(0.007843138f, [1f], [1f], ColorOrder.Bgr, ResizeMethod.Area, CropMode.None, TensorLayout.Nhwc),
        new(3.4e38f, [-1e-30f], [1e-38f], ColorOrder.Grey, ResizeMethod.Nearest),
        new PreprocessSpec(scale: 0.1f).WithLayout(TensorLayout.Nhwc).WithCrop(CropMode.Center).WithResize(ResizeMethod.Area).WithColor(ColorOrder.Bgr),
    ];

    [Theory]
    [MemberData(nameof(Specs))]
    public void ToJson_round_trips_exactly(PreprocessSpec spec)
    {
        string json = spec.ToJson();
        PreprocessSpec back = PreprocessSpec.Parse(json);
        Assert.Equal((spec.Scale, spec.Color, spec.Resize, spec.Crop, spec.Layout), (back.Scale, back.Color, back.Resize, back.Crop, back.Layout));
        Assert.Equal(spec.Mean, back.Mean);
        Assert.Equal(spec.Std, back.Std);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void ToJson_writes_lower_case_names_and_leaves_inferred_fields_out()
    {
        Assert.Equal("""{"scale":1,"mean":[0],"std":[1],"resize":"bilinear","crop":"none"}""", PreprocessSpec.Identity.ToJson());
        Assert.Equal(
            """{"scale":0.5,"mean":[1,2,3],"std":[4],"color":"bgr","resize":"nearest","crop":"center","layout":"nhwc"}""",
            new PreprocessSpec(0.5f, [1, 2, 3], [4], ColorOrder.Bgr, ResizeMethod.Nearest, CropMode.Center, TensorLayout.Nhwc).ToJson());
    }

    [Fact]
    public void Choices_ignore_case()
    {
        PreprocessSpec p = PreprocessSpec.Parse("""{"color":"BGR","resize":"Area","crop":"CENTER","layout":"nhwc"}""");
        Assert.Equal((ColorOrder.Bgr, ResizeMethod.Area, CropMode.Center, TensorLayout.Nhwc), (p.Color, p.Resize, p.Crop, p.Layout));
    }

    [Theory]
    [InlineData("[1]", "$ must be a JSON object")]
    [InlineData("""{"scale":"big"}""", "$.scale must be a number")]
    [InlineData("""{"scale":1e39}""", "$.scale must be a number in float range")]
    [InlineData("""{"scale":0}""", "$.scale must be a finite number > 0, not 0")]
    [InlineData("""{"mean":[0, "x"]}""", "$.mean[1] must be a number")]
    [InlineData("""{"mean":[]}""", "$.mean must be at least one number")]
    [InlineData("""{"mean":5}""", "$.mean must be an array of numbers")]
    [InlineData("""{"mean":[0],"std":[0]}""", "$.std[0] must be a finite number > 0, not 0")]
    [InlineData("""{"std":[1,-2,1]}""", "$.std[1] must be a finite number > 0, not -2")]
    [InlineData("""{"mean":[0,1],"std":[1]}""", "$.mean has 2 entries; it must have 1 or 3")]
    [InlineData("""{"color":"grey","std":[1,1,1]}""", "$.std has 3 entries; it must have 1 (color grey)")]
    [InlineData("""{"color":"hsv"}""", "$.color must be one of \"grey\" | \"rgb\" | \"bgr\", not \"hsv\"")]
    [InlineData("""{"resize":"cubic"}""", "$.resize must be one of \"bilinear\" | \"area\" | \"nearest\", not \"cubic\"")]
    [InlineData("""{"crop":true}""", "$.crop must be one of \"none\" | \"center\"")]
    [InlineData("""{"layout":"chw"}""", "$.layout must be one of \"nchw\" | \"nhwc\", not \"chw\"")]
    [InlineData("""{"scale":1,"scale":2}""", "$.scale must be given once")]
    [InlineData("""{"scale":""", "not valid JSON")]
    [InlineData("""{"scale":1} x""", "not valid JSON")]
    public void Errors_name_the_field(string json, string message)
    {
        FormatException e = Assert.Throws<FormatException>(() => PreprocessSpec.Parse(json));
        Assert.StartsWith("preprocess metadata", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_constructor_refuses_what_Parse_refuses()
    {
        Assert.Equal("std", Assert.Throws<ArgumentException>(() => new PreprocessSpec(std: [0f])).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentException>(() => new PreprocessSpec(float.NaN)).ParamName);
        Assert.Equal("mean", Assert.Throws<ArgumentException>(() => new PreprocessSpec(mean: [1, 2, 3], color: ColorOrder.Grey)).ParamName);
        Assert.Equal("resize", Assert.Throws<ArgumentException>(() => new PreprocessSpec(resize: (ResizeMethod)7)).ParamName);
        Assert.Throws<ArgumentException>(() => PreprocessSpec.Identity.WithNormalization(1f, [0f, 0f], [1f]));
    }

    [Fact]
    public void The_spec_is_immutable()
    {
        float[] mean = [1f, 2f, 3f];
        var spec = new PreprocessSpec(mean: mean);
        mean[0] = 9f;
        spec.Mean[1] = 9f;
        Assert.Equal([1f, 2f, 3f], spec.Mean);
    }

    [Theory]
    [InlineData(new[] { 1, 3, 224, 200 }, null, TensorLayout.Nchw, 3, 224, 200)]
    [InlineData(new[] { 1, 224, 200, 3 }, null, TensorLayout.Nhwc, 3, 224, 200)]
    [InlineData(new[] { 1, 1, 28, 28 }, null, TensorLayout.Nchw, 1, 28, 28)]
    [InlineData(new[] { 1, 28, 28, 1 }, null, TensorLayout.Nhwc, 1, 28, 28)]
    [InlineData(new[] { 1, 3, 8, 3 }, null, TensorLayout.Nchw, 3, 8, 3)] // both ends could be channels: axis 1 wins
    [InlineData(new[] { 1, 3, 8, 3 }, TensorLayout.Nhwc, TensorLayout.Nhwc, 3, 3, 8)]
    [InlineData(new[] { 3, 5, 7 }, null, TensorLayout.Nchw, 3, 5, 7)]
    [InlineData(new[] { 5, 7, 1 }, null, TensorLayout.Nhwc, 1, 5, 7)]
    [InlineData(new[] { 5, 7 }, null, TensorLayout.Nchw, 1, 5, 7)]
    public void Resolve_finds_channels_height_and_width(int[] shape, TensorLayout? layout, TensorLayout expected, int c, int h, int w)
    {
        PreprocessTarget t = PreprocessSpec.Identity.WithLayout(layout).Resolve(shape);
        Assert.Equal(new PreprocessTarget(expected, c, h, w, c == 1 ? ColorOrder.Grey : ColorOrder.Rgb), t);
        Assert.Equal(c * h * w, t.ElementCount);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4, 4 }, "batch must be 1")]
    [InlineData(new[] { 1, 3, 0, 4 }, "every dimension must be > 0")]
    [InlineData(new[] { 1, 2, 3, 4, 5 }, "an image input has rank 2, 3 or 4")]
    [InlineData(new[] { 1, 4, 8, 8 }, "no axis of 1 or 3 channels at either end; set $.layout")]
    public void Resolve_refuses_shapes_that_are_not_one_image(int[] shape, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => PreprocessSpec.Identity.Resolve(shape)).Message, StringComparison.Ordinal);

    [Fact]
    public void Resolve_checks_colour_and_mean_against_the_channels()
    {
        Assert.Contains("$.color is \"grey\" but model input shape [1, 3, 4, 4] (Nchw) has 3 channel(s)",
            Assert.Throws<ArgumentException>(() => new PreprocessSpec(color: ColorOrder.Grey).Resolve([1, 3, 4, 4])).Message, StringComparison.Ordinal);
        Assert.Contains("$.color is \"bgr\"",
            Assert.Throws<ArgumentException>(() => new PreprocessSpec(color: ColorOrder.Bgr).Resolve([1, 1, 4, 4])).Message, StringComparison.Ordinal);
        Assert.Contains("$.mean has 3 and $.std 1 entries; model input shape [1, 4, 4, 1] has 1 channel(s)",
            Assert.Throws<ArgumentException>(() => new PreprocessSpec(mean: [1, 2, 3]).Resolve([1, 4, 4, 1])).Message, StringComparison.Ordinal);
        Assert.Contains("needs 1 or 1", Assert.Throws<ArgumentException>(() => new PreprocessSpec(mean: [1, 2, 3]).Resolve([1, 4, 4, 1])).Message, StringComparison.Ordinal);
        Assert.Equal(ColorOrder.Bgr, new PreprocessSpec(color: ColorOrder.Bgr).Resolve([1, 3, 4, 4]).Color);
    }

    [Fact]
    public void PreprocessTarget_indexes_both_layouts()
    {
        var nchw = new PreprocessTarget(TensorLayout.Nchw, 3, 4, 5, ColorOrder.Rgb);
        var nhwc = nchw with { Layout = TensorLayout.Nhwc };
        Assert.Equal((2 * 20) + (3 * 5) + 4, nchw.IndexOf(2, 3, 4));
        Assert.Equal((((3 * 5) + 4) * 3) + 2, nhwc.IndexOf(2, 3, 4));
    }
}
