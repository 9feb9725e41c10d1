using System.Net.Sockets;
using System.Text;
using EdgeCnn.Device.Systemd;

namespace EdgeCnn.Device.Tests.Systemd;

/// <summary>The datagrams systemd would receive, on a test socket: READY only after the first completed frame, then
/// WATCHDOG at most every half watchdog interval, and nothing at all while no frame completes.</summary>
public sealed class FrameWatchdogTests : IDisposable
{
    private const long Ms = 1_000_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("watchdog").FullName;
    private readonly Socket _server = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public FrameWatchdogTests()
    {
        _server.Bind(new UnixDomainSocketEndPoint(Path.Combine(_dir, "notify")));
    }

    [Fact]
    public void Ready_after_the_first_frame_then_watchdog_every_half_interval()
    {
        using var notify = new SdNotify(Path.Combine(_dir, "notify"));
        var watchdog = new FrameWatchdog(notify, watchdogUsec: 2_000_000); // WatchdogSec=2
        Assert.Equal(1000 * Ms, watchdog.IntervalNs);
        Assert.Empty(Drain());
        watchdog.FrameCompleted(10_000 * Ms);
        Assert.Equal(["READY=1"], Drain());
        for (long t = 10_000; t <= 12_500; t += 100)
        {
            watchdog.FrameCompleted(t * Ms);
        }

        Assert.Equal(["WATCHDOG=1", "WATCHDOG=1"], Drain()); // at 11000 and 12000 ms
    }

    [Fact]
    public void A_stalled_pipeline_sends_nothing()
    {
        using var notify = new SdNotify(Path.Combine(_dir, "notify"));
        var watchdog = new FrameWatchdog(notify, watchdogUsec: 0);
        watchdog.FrameCompleted(0);
        Assert.Equal(["READY=1"], Drain());
        Thread.Sleep(50); // time passes, no frame completes: no datagram
        Assert.Empty(Drain());
        watchdog.FrameCompleted(1000 * Ms);
        Assert.Equal(["WATCHDOG=1"], Drain());
    }

    [Fact]
    public void Watchdog_interval_comes_from_the_environment_variable()
    {
        using var notify = new SdNotify(null);
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "30000000");
        try
        {
            Assert.Equal(15_000 * Ms, FrameWatchdog.FromEnvironment(notify).IntervalNs);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
        }
    }

    [Theory]
    [InlineData(false, true)] // WATCHDOG_PID is this process: pings
    [InlineData(true, false)] // WATCHDOG_PID is another process: the watchdog is not ours, READY only
    public void Watchdog_pid_decides_whether_this_process_pings(bool otherPid, bool pings)
    {
        using var notify = new SdNotify(Path.Combine(_dir, "notify"));
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "2000000");
        Environment.SetEnvironmentVariable("WATCHDOG_PID", (Environment.ProcessId + (otherPid ? 1 : 0)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var watchdog = FrameWatchdog.FromEnvironment(notify);
            Assert.Equal(pings, watchdog.PingsWatchdog);
            watchdog.FrameCompleted(0);
            watchdog.FrameCompleted(1000 * Ms);
            watchdog.FrameCompleted(2000 * Ms);
            Assert.Equal(pings ? ["READY=1", "WATCHDOG=1", "WATCHDOG=1"] : ["READY=1"], Drain());
        }
        finally
        {
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
            Environment.SetEnvironmentVariable("WATCHDOG_PID", null);
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private List<string> Drain()
    {
        var got = new List<string>();
        var buffer = new byte[64];
        while (_server.Poll(100_000, SelectMode.SelectRead))
        {
            int n = _server.Receive(buffer);
            got.Add(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return got;
    }
}
