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

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Receive(Socket s)
    {
        var buffer = new byte[64];
        int n = s.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }
}
