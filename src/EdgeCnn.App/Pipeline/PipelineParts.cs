using EdgeCnn.Device.Config;
using EdgeCnn.Vision.Capture;
using EdgeCnn.Vision.Frames;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.App.Pipeline;

/// <summary>Builds the model bytes and the frame source a config names; failures name the config field.</summary>
internal static class PipelineParts
{
    public const string BuiltinFashionMnist = "builtin:fashion-mnist";
    public const string BuiltinPatterns = "builtin:patterns";

    public static byte[] ModelBytes(EdgeConfig config, string origin) => config.Model switch
    {
        BuiltinFashionMnist => EmbeddedDefault.Model(),
        BuiltinPatterns => BuiltInModel.Build(),
        _ => ReadFile(config.Model, origin, "$.model"),
    };

    public static IFrameSource Source(EdgeConfig config, string origin, Action<CameraEvent>? onCameraEvent)
    {
        SourceConfig s = config.Source;
        long frames = config.Frames > 0 ? config.Frames : long.MaxValue;
        try
        {
            return s.Type switch
            {
                "v4l2" => new V4L2Camera(new CameraOptions(s.Device, s.Width, s.Height, ParsePixelFormat(s.PixelFormat), s.Fps, s.Buffers), onCameraEvent),
                "images" => new ImageFolderSource(s.Path, s.Loop, frames),
                "idx" when s.Path.Length == 0 => EmbeddedDefault.Frames(EmbeddedDefault.MaxFrames, s.Loop, frames),
                "idx" => new IdxFrameSource(s.Path, s.Labels, frames, s.Loop),
                "synthetic" => new SyntheticPatternSource(s.Width, s.Height, config.Frames > 0 ? config.Frames : -1, (ulong)s.Seed),
                _ => throw new ConfigException(origin, "$.source.type", $"'{s.Type}' is not a source", ConfigFields.SourceTypes),
            };
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Vision.Imaging.ImageFormatException)
        {
            throw new ConfigException(origin, s.Type is "v4l2" ? "$.source.device" : "$.source.path", e.Message, ConfigFields.For("$.source.path"));
        }
    }

    public static PixelFormat ParsePixelFormat(string name) => name switch
    {
        "YUYV" => PixelFormat.Yuyv,
        "NV12" => PixelFormat.Nv12,
        "GREY" => PixelFormat.Grey8,
        "RGB24" => PixelFormat.Rgb24,
        "BGR24" => PixelFormat.Bgr24,
        "MJPEG" => PixelFormat.Mjpeg,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a pixel format"),
    };

    private static byte[] ReadFile(string path, string origin, string field)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(origin, field, e.Message, ConfigFields.For(field));
        }
    }
}
