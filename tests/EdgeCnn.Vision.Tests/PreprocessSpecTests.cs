using EdgeCnn.Vision.Preprocessing;

namespace EdgeCnn.Vision.Tests;

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
    }

    [Theory]
    [InlineData("[1]", "$ must be a JSON object")]
    [InlineData("""{"scale":"big"}""", "$.scale must be a number")]
    [InlineData("""{"mean":[0, "x"]}""", "$.mean[1] must be a number")]
    [InlineData("""{"mean":[0],"std":[0]}""", "$.std entries > 0")]
    [InlineData("""{"mean":[0,1],"std":[1]}""", "one per $.mean entry")]
    [InlineData("""{"scale":""", "not valid JSON")]
    public void Errors_name_the_field(string json, string message)
    {
        Assert.Contains(message, Assert.Throws<FormatException>(() => PreprocessSpec.Parse(json)).Message, StringComparison.Ordinal);
    }
}
