using System.Text.Json;

namespace EdgeCnn.Vision.Tests.Imaging;

/// <summary>The decoder fixtures of Imaging/Fixtures (made by make_fixtures.py): files and their expected pixels.</summary>
internal static class Fixtures
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Imaging", "Fixtures");

    public static IReadOnlyList<Entry> All { get; } = Load();

    public static Entry Get(string file) => All.Single(e => string.Equals(e.File, file, StringComparison.Ordinal));

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Folder, file));

    public static byte[] Expected(string file) => File.ReadAllBytes(Path.Combine(Folder, file + ".expected"));

    private static List<Entry> Load()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        return [.. doc.RootElement.EnumerateArray().Select(e => new Entry(
            e.GetProperty("file").GetString()!, e.GetProperty("width").GetInt32(), e.GetProperty("height").GetInt32(), e.GetProperty("channels").GetInt32()))];
    }

    internal sealed record Entry(string File, int Width, int Height, int Channels);
}
