using System.Net.Sockets;
using System.Text;

namespace EdgeCnn.Device.Systemd;

/// <summary>
/// systemd's notification protocol: datagrams such as "READY=1" and "WATCHDOG=1" to the Unix socket named by
/// NOTIFY_SOCKET (a leading '@' means the abstract namespace). Without NOTIFY_SOCKET (not run by systemd) every send is a
/// no-op. The messages are encoded once here, so the frame loop's watchdog ping allocates nothing.
/// </summary>
public sealed class SdNotify : IDisposable
{
    private static readonly byte[] s_ready = Encoding.ASCII.GetBytes("READY=1");
    private static readonly byte[] s_watchdog = Encoding.ASCII.GetBytes("WATCHDOG=1");
    private static readonly byte[] s_stopping = Encoding.ASCII.GetBytes("STOPPING=1");
    private readonly Socket? _socket;

    public SdNotify(string? socketPath)
    {
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }

        // The abstract namespace is spelled with a leading NUL on the wire.
        string path = socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            _socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw new IOException($"NOTIFY_SOCKET {socketPath}: cannot connect: {e.Message} (set \"systemd\": {{\"notify\": false}} outside systemd)", e);
        }
    }

    public bool Enabled => _socket is not null;

    /// <summary>From the NOTIFY_SOCKET environment variable, as systemd sets it for Type=notify services.</summary>
    public static SdNotify FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public void Ready() => Send(s_ready);

    /// <summary>Call only when a frame has really completed: the watchdog then restarts a service that has stalled.</summary>
    public void Watchdog() => Send(s_watchdog);

    public void Stopping() => Send(s_stopping);

    public void Dispose() => _socket?.Dispose();

    /// <summary>Notifications that could not be sent (systemd gone or restarted): lost, as libsystemd's sd_notify loses them.</summary>
    public long FailedSends { get; private set; }

    private void Send(byte[] message)
    {
        try
        {
            _socket?.Send(message);
        }
        catch (SocketException)
        {
            // Never fatal to the frame loop: if systemd really misses the pings, its watchdog restarts the service anyway.
            FailedSends++;
        }
    }
}
