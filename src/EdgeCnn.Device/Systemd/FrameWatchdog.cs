namespace EdgeCnn.Device.Systemd;

/// <summary>
/// Ties systemd's notifications to real progress: READY=1 goes out when the first frame has completed (model loaded,
/// camera streaming, inference run, actions taken), and WATCHDOG=1 only from completed frames, at most every half of
/// the watchdog interval systemd asked for (WATCHDOG_USEC; 1 s when unset). A pipeline stuck anywhere therefore stops
/// pinging and systemd restarts it. Allocation-free per frame.
/// </summary>
public sealed class FrameWatchdog
{
    private readonly SdNotify _notify;
    private readonly long _intervalNs;
    private long _lastPingNs;
    private bool _ready;

    public FrameWatchdog(SdNotify notify, long watchdogUsec)
    {
        ArgumentNullException.ThrowIfNull(notify);
        _notify = notify;
        _intervalNs = watchdogUsec > 0 ? watchdogUsec * 1000 / 2 : 1_000_000_000L;
    }

    /// <summary>Nanoseconds between pings (half of WATCHDOG_USEC).</summary>
    public long IntervalNs => _intervalNs;

    public bool Ready => _ready;

    /// <summary>From NOTIFY_SOCKET and WATCHDOG_USEC, as systemd sets them for Type=notify services with WatchdogSec=.</summary>
    public static FrameWatchdog FromEnvironment(SdNotify notify) =>
        new(notify, long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long usec) ? usec : 0);

    /// <summary>Call after each frame has gone all the way through (actions included).</summary>
    public void FrameCompleted(long nowNs)
    {
        if (!_ready)
        {
            _notify.Ready();
            _ready = true;
            _lastPingNs = nowNs;
            return;
        }

        if (nowNs - _lastPingNs >= _intervalNs)
        {
            _notify.Watchdog();
            _lastPingNs = nowNs;
        }
    }
}
