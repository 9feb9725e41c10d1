namespace EdgeCnn.Runtime.Graph;

/// <summary>Limits and choices for planning a session.</summary>
public sealed class SessionOptions
{
    public static SessionOptions Default { get; } = new();

    /// <summary>
    /// The most bytes the arena may take. A model (or a hostile file) that needs more is refused at Plan with a clear
    /// error instead of exhausting a small device's memory. 1 GiB by default; a Pi 4 has 1 to 8 GiB in all.
    /// </summary>
    public long MaxArenaBytes { get; init; } = 1L << 30;
}
