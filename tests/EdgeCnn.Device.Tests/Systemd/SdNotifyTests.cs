using System.Net.Sockets;
using System.Text;
using EdgeCnn.Device.Systemd;

namespace EdgeCnn.Device.Tests;

public sealed class SdNotifyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sdnotify").FullName;

    [Fact]
    public void Sends_ready_watchdog_and_stopping_datagrams_to_the_socket()
    {
        string path = Path.Combine(_dir, "notify.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.ReceiveTimeout = 5000;
        using var notify = new SdNotify(path);
        Assert.True(notify.Enabled);
        notify.Ready();
        notify.Watchdog();
        notify.Stopping();
        Assert.Equal(["READY=1", "WATCHDOG=1", "STOPPING=1"], new[] { Receive(server), Receive(server), Receive(server) });
    }

    [Fact]
    public void Abstract_namespace_socket_is_reached()
    {
        string name = $"edgecnn-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint("\0" + name));
        server.ReceiveTimeout = 5000;
        using var notify = new SdNotify("@" + name);
        notify.Watchdog();
        Assert.Equal("WATCHDOG=1", Receive(server));
    }

    [Fact]
    public void Without_a_socket_every_send_is_a_no_op()
    {
        using var notify = new SdNotify(null);
        Assert.False(notify.Enabled);
        notify.Ready();
        notify.Watchdog();
    }

    [Fact]
    public void A_notify_socket_that_cannot_be_reached_is_an_io_error_naming_it()
    {
        // NOTIFY_SOCKET left over in an environment, or a socket path that no longer exists: a clear error, never an
        // unhandled SocketException (the app maps IOException to a message and exit code 3)
        string path = Path.Combine(_dir, "absent.sock");
        var e = Assert.ThrowsAny<IOException>(() => new SdNotify(path));
        Assert.Contains("NOTIFY_SOCKET", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_send_that_fails_after_connecting_does_not_stop_the_device_loop()
    {
        // systemd gone or restarted under us: the notification is lost (as sd_notify loses it), the frame loop goes on
        string path = Path.Combine(_dir, "gone.sock");
        var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        using var notify = new SdNotify(path);
        server.Dispose();
        File.Delete(path);
        notify.Watchdog();
        notify.Watchdog();
        Assert.Equal(2, notify.FailedSends);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Receive(Socket s)
    {
        var buffer = new byte[64];
        int n = s.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }
}
