using EdgeCnn.Device.Gpio;

namespace EdgeCnn.Device.Rules;

/// <summary>
/// Maps a score (a class's probability, or the best score of a detected object) to a GPIO line:
/// <list type="bullet">
/// <item>the condition is <c>score &gt;= threshold</c>;</item>
/// <item>debounce: the condition must hold unchanged for <c>debounceMs</c> (measured on frame timestamps) before the line
/// follows it, in either direction, so one noisy frame never toggles the line;</item>
/// <item>minimum hold: once driven active the line stays active at least <c>minHoldMs</c>, however briefly the object was seen.</item>
/// </list>
/// Time comes from the caller (frame timestamps in ns), so the rule is deterministic and testable. Allocation-free.
/// </summary>
public sealed class LineRule : IDisposable
{
    private readonly IGpioOutput _line;
    private readonly long _debounceNs;
    private readonly long _minHoldNs;
    private long _pendingSinceNs = -1;
    private long _activeSinceNs;

    public LineRule(string name, int classIndex, float threshold, IGpioOutput line, int debounceMs, int minHoldMs)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentOutOfRangeException.ThrowIfNegative(debounceMs);
        ArgumentOutOfRangeException.ThrowIfNegative(minHoldMs);
        Name = name;
        ClassIndex = classIndex;
        Threshold = threshold;
        _line = line;
        _debounceNs = debounceMs * 1_000_000L;
        _minHoldNs = minHoldMs * 1_000_000L;
    }

    public string Name { get; }

    /// <summary>The class (or detector label) whose score this rule reads.</summary>
    public int ClassIndex { get; }

    public float Threshold { get; }

    /// <summary>The line's logical value.</summary>
    public bool Active => _line.Value;

    public int LineOffset => _line.Offset;

    /// <summary>Feeds one frame's score. Returns true when the line changed.</summary>
    public bool Update(float score, long timestampNs)
    {
        bool want = score >= Threshold;
        bool active = _line.Value;
        if (want == active)
        {
            _pendingSinceNs = -1;
            return false;
        }

        if (_pendingSinceNs < 0)
        {
            _pendingSinceNs = timestampNs;
        }

        if (timestampNs - _pendingSinceNs < _debounceNs)
        {
            return false;
        }

        if (!want && timestampNs - _activeSinceNs < _minHoldNs)
        {
            return false; // held: the pending release stays pending and fires once the hold time is over
        }

        _line.Set(want);
        _pendingSinceNs = -1;
        if (want)
        {
            _activeSinceNs = timestampNs;
        }

        return true;
    }

    /// <summary>Drives the line inactive (shutting down, or frames stopped).</summary>
    public bool Release()
    {
        _pendingSinceNs = -1;
        if (!_line.Value)
        {
            return false;
        }

        _line.Set(false);
        return true;
    }

    public void Dispose() => _line.Dispose();
}
