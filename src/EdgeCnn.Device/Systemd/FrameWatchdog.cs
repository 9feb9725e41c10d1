namespace EdgeCnn.Device.Systemd;

/// <summary>
/// Ties systemd's notifications to real progress: READY=1 goes out when the first frame has completed (model loaded,
/// camera streaming, inference run, actions taken), and WATCHDOG=1 only from completed frames, at most every half of
/// the watchdog interval systemd asked for (WATCHDOG_USEC; 1 s when unset). A pipeline stuck anywhere therefore stops
/// pinging and systemd restarts it. Allocation-free per frame. As sd_watchdog_enabled(3) does, a WATCHDOG_PID naming
/// another process (a wrapper that exec'd nothing, a child started by the service) means the watchdog is not ours: then
/// only READY=1 is sent.
/// </summary>
public sealed class FrameWatchdog
{
    private readonly SdNotify _notify;
    private long _intervalNs;
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

    /// <summary>False when the watchdog belongs to another process (WATCHDOG_PID): no WATCHDOG=1 is sent.</summary>
    public bool PingsWatchdog => _intervalNs != long.MaxValue;

    /// <summary>
    /// From WATCHDOG_USEC and WATCHDOG_PID, as systemd sets them for Type=notify services with WatchdogSec=. A
    /// WATCHDOG_PID that is set and is not this process turns the pings off.
    /// </summary>
    public static FrameWatchdog FromEnvironment(SdNotify notify)
    {
        var watchdog = new FrameWatchdog(notify, ParseUnsigned("WATCHDOG_USEC"));
        long pid = ParseUnsigned("WATCHDOG_PID");
        if (pid != 0 && pid != Environment.ProcessId)
        {
            watchdog._intervalNs = long.MaxValue;
        }

        return watchdog;
    }

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

        if (nowNs - _lastPingNs >= _intervalNs) // never, when the watchdog is not ours (interval long.MaxValue)
        {
            _notify.Watchdog();
            _lastPingNs = nowNs;
        }
    }

    private static long ParseUnsigned(string variable) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : 0;
}
