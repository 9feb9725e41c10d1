using System.Globalization;
using EdgeCnn.Vision.Frames;
using EdgeCnn.Vision.Sources;

namespace EdgeCnn.Vision.Capture;

/// <summary>
/// A V4L2 camera through the kernel uAPI: QUERYCAP, S_FMT (then the format the driver actually chose is what frames are),
/// S_PARM, REQBUFS of mmap buffers, QBUF all, STREAMON; then poll + DQBUF/QBUF. Policies for running unattended:
/// <list type="bullet">
/// <item>latest frame: every buffer already filled is dequeued and only the newest is used, the older ones are requeued at
/// once (counted in <see cref="SkippedFrames"/>), so a slow model never works on stale frames;</item>
/// <item>drop and requeue: a buffer flagged V4L2_BUF_FLAG_ERROR, or a DQBUF failing with EIO, is dropped (<see cref="ErrorFrames"/>) and capture goes on;</item>
/// <item>reconnect: ENODEV (unplugged, driver unbound) or no frame for <see cref="CameraOptions.StallTimeoutMs"/> closes the
/// device and reopens it with exponential backoff; the reopened device must give the same format.</item>
/// </list>
/// A frame is copied from the mmap buffer into the caller's buffer and the mmap buffer is requeued immediately, so the
/// driver always has buffers to fill. Steady-state capture allocates nothing.
/// </summary>
public sealed unsafe class V4L2Camera : IFrameSource
{
    private const int MaxConsecutiveIoErrors = 3;
    private readonly CameraOptions _options;
    private readonly Action<CameraEvent>? _onEvent;
    private nint[] _maps = [];
    private nuint[] _lengths = [];
    private int _fd = -1;
    private int _backoffMs;
    private long _sequence;
    private long _lastFrameNs;
    private int _consecutiveIoErrors;
    private uint _minimumBytes;
    private volatile bool _stopped;

    /// <summary>Opens and starts the camera; a camera that is absent or refuses at start is a <see cref="CameraException"/>.</summary>
    public V4L2Camera(CameraOptions options, Action<CameraEvent>? onEvent = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        MonotonicClock.Initialize();
        _onEvent = onEvent;
        if (V4L2Uapi.LayoutProblem(IntPtr.Size) is { } layout)
        {
            throw new CameraException(options.Device, "open", 0, layout);
        }

        int errno = Connect(out FrameFormat format, out string failed);
        if (errno != 0 || failed.Length > 0)
        {
            throw new CameraException(options.Device, failed, errno, errno == LibC.ENoEnt ? "no such device node (is the camera plugged in and its driver loaded?)" : string.Empty);
        }

        Format = format;
        // the last row need not carry its stride padding; a compressed frame may be any size
        _minimumBytes = format.PixelFormat == PixelFormat.Mjpeg ? 1u
            : (uint)(format.FrameBytes - format.Stride + FrameFormat.PackedRowBytes(format.PixelFormat, format.Width));
        _onEvent?.Invoke(new CameraEvent(CameraEventKind.Opened, options.Device, 0, format.ToString()));
    }

    public FrameFormat Format { get; private set; }

    public string Driver { get; private set; } = string.Empty;

    public string Card { get; private set; } = string.Empty;

    /// <summary>Frames skipped because a newer one was already there (the latest-frame policy).</summary>
    public long SkippedFrames { get; private set; }

    /// <summary>Frames dropped as bad: flagged V4L2_BUF_FLAG_ERROR, shorter than the format, or lost to EIO.</summary>
    public long ErrorFrames { get; private set; }

    public long Reconnects { get; private set; }

    /// <summary>Makes <see cref="TryRead"/> return false at its next poll (from a signal handler or another thread).</summary>
    public void Stop() => _stopped = true;

    public bool TryRead(Span<byte> frame, out FrameInfo info)
    {
        if (frame.Length < Format.FrameBytes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"frame buffer holds {frame.Length} bytes; {Format.FrameBytes} needed"), nameof(frame));
        }

        while (!_stopped)
        {
            if (_fd < 0 && !Reconnect())
            {
                continue;
            }

            var p = new PollFd { Fd = _fd, Events = LibC.PollIn };
            int ready = LibC.Poll(&p, 1, 200);
            if (ready < 0)
            {
                int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (e != LibC.EIntr)
                {
                    Lose(e, "poll");
                }

                continue;
            }

            if (ready == 0 || (p.REvents & LibC.PollIn) == 0)
            {
                if ((p.REvents & (LibC.PollErr | LibC.PollHup)) != 0)
                {
                    // POLLERR without data: DQBUF tells why (ENODEV when unplugged).
                    var probe = new V4L2Buffer { Type = V4L2Uapi.BufTypeVideoCapture, Memory = V4L2Uapi.MemoryMmap };
                    int e = LibC.Xioctl(_fd, V4L2Uapi.DQBuf, &probe);
                    if (e == 0)
                    {
                        Requeue(probe.Index);
                    }
                    else if (e != LibC.EAgain)
                    {
                        Lose(e, "VIDIOC_DQBUF");
                        continue;
                    }
                }

                if (MonotonicClock.NowNs() - _lastFrameNs > _options.StallTimeoutMs * 1_000_000L)
                {
                    Lose(0, string.Create(CultureInfo.InvariantCulture, $"no frame for {_options.StallTimeoutMs} ms"));
                }

                continue;
            }

            if (TakeNewest(frame, out info))
            {
                return true;
            }
        }

        info = default;
        return false;
    }

    public void Dispose()
    {
        _stopped = true;
        Close();
    }

    /// <summary>Dequeues every filled buffer, keeps the newest good one, requeues the rest; copies the newest out.</summary>
    private bool TakeNewest(Span<byte> frame, out FrameInfo info)
    {
        V4L2Buffer newest = default;
        bool have = false;
        while (true)
        {
            var b = new V4L2Buffer { Type = V4L2Uapi.BufTypeVideoCapture, Memory = V4L2Uapi.MemoryMmap };
            int e = LibC.Xioctl(_fd, V4L2Uapi.DQBuf, &b);
            if (e == LibC.EAgain)
            {
                break;
            }

            if (e == LibC.EIo)
            {
                // The driver may or may not have dequeued a buffer; requeueing an already-queued one fails harmlessly.
                // A queue in its error state (vb2's fatal error) answers EIO to every DQBUF: after a few in a row with
                // no good frame between, restart the stream through the reconnect path instead of spinning here.
                ErrorFrames++;
                Requeue(b.Index);
                if (++_consecutiveIoErrors >= MaxConsecutiveIoErrors)
                {
                    Lose(e, "VIDIOC_DQBUF: EIO on every dequeue, the stream is in its error state");
                    info = default;
                    return false;
                }

                break;
            }

            if (e != 0)
            {
                Lose(e, "VIDIOC_DQBUF");
                info = default;
                return false;
            }

            if ((b.Flags & V4L2Uapi.BufFlagError) != 0 || b.BytesUsed == 0 || b.BytesUsed < _minimumBytes)
            {
                // flagged bad, empty, or shorter than the format's pixels (a truncated transfer): drop and requeue
                ErrorFrames++;
                Requeue(b.Index);
                continue;
            }

            if (have)
            {
                SkippedFrames++; // superseded by a newer frame
                Requeue(newest.Index);
            }

            newest = b;
            have = true;
            _consecutiveIoErrors = 0;
        }

        if (!have)
        {
            info = default;
            return false;
        }

        int bytes = (int)Math.Min(newest.BytesUsed, (uint)Format.FrameBytes);
        new ReadOnlySpan<byte>((void*)_maps[newest.Index], bytes).CopyTo(frame);
        long now = MonotonicClock.NowNs();
        long stamp = (newest.Flags & V4L2Uapi.BufFlagTimestampMask) == V4L2Uapi.BufFlagTimestampMonotonic
            ? (newest.TimestampSec * 1_000_000_000L) + (newest.TimestampUsec * 1000L)
            : now;
        Requeue(newest.Index);
        _lastFrameNs = now;
        info = new FrameInfo(_sequence++, -1, stamp, bytes);
        return true;
    }

    private void Requeue(uint index)
    {
        if (index >= (uint)_maps.Length)
        {
            return;
        }

        var b = new V4L2Buffer { Type = V4L2Uapi.BufTypeVideoCapture, Memory = V4L2Uapi.MemoryMmap, Index = index };
        int e = LibC.Xioctl(_fd, V4L2Uapi.QBuf, &b);
        if (LibC.IsDisconnect(e))
        {
            Lose(e, "VIDIOC_QBUF");
        }
    }

    private void Lose(int errno, string what)
    {
        if (_fd < 0)
        {
            return;
        }

        Close();
        _backoffMs = 0;
        _consecutiveIoErrors = 0;
        _onEvent?.Invoke(new CameraEvent(CameraEventKind.Lost, _options.Device, errno, what));
    }

    /// <summary>One reconnect attempt after the backoff delay. Throws if the device comes back with another format.</summary>
    private bool Reconnect()
    {
        _backoffMs = _backoffMs == 0 ? 50 : Math.Min(_backoffMs * 2, _options.MaxBackoffMs);
        Thread.Sleep(_backoffMs);
        if (_stopped)
        {
            return false;
        }

        int errno = Connect(out FrameFormat format, out string failed);
        if (errno != 0 || failed.Length > 0)
        {
            _onEvent?.Invoke(new CameraEvent(CameraEventKind.ReconnectFailed, _options.Device, errno, failed));
            return false;
        }

        if (format != Format)
        {
            Close();
            throw new CameraException(_options.Device, "reconnect", 0, $"the device came back as {format}, not {Format}");
        }

        Reconnects++;
        _backoffMs = 0;
        _onEvent?.Invoke(new CameraEvent(CameraEventKind.Reconnected, _options.Device, 0, format.ToString()));
        return true;
    }

    /// <summary>Opens, negotiates, maps and starts streaming. Returns 0, or the errno with the failing step in <paramref name="failed"/>.</summary>
    private int Connect(out FrameFormat format, out string failed)
    {
        format = default;
        failed = "open";
        int fd = LibC.Open(_options.Device, LibC.ORdWr | LibC.ONonBlock | LibC.OCloExec);
        if (fd < 0)
        {
            return System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        }

        _fd = fd;
        int e = Negotiate(out format, out failed);
        if (e != 0 || failed.Length > 0)
        {
            Close();
            return e;
        }

        _lastFrameNs = MonotonicClock.NowNs();
        return 0;
    }

    private int Negotiate(out FrameFormat format, out string failed)
    {
        format = default;
        V4L2Capability cap;
        failed = "VIDIOC_QUERYCAP";
        int e = LibC.Xioctl(_fd, V4L2Uapi.QueryCap, &cap);
        if (e != 0)
        {
            return e;
        }

        Driver = CString(cap.Driver, 16);
        Card = CString(cap.Card, 32);
        uint caps = (cap.Capabilities & V4L2Uapi.CapDeviceCaps) != 0 ? cap.DeviceCaps : cap.Capabilities;
        if ((caps & V4L2Uapi.CapVideoCapture) == 0 || (caps & V4L2Uapi.CapStreaming) == 0)
        {
            failed = $"VIDIOC_QUERYCAP: {Driver} '{Card}' is not a single-planar streaming capture device (device_caps 0x{caps:x8})";
            return 0;
        }

        var fmt = new V4L2Format
        {
            Type = V4L2Uapi.BufTypeVideoCapture,
            Width = (uint)_options.Width,
            Height = (uint)_options.Height,
            PixelFormat = (uint)_options.PixelFormat,
            Field = V4L2Uapi.FieldNone,
        };
        failed = "VIDIOC_S_FMT";
        e = LibC.Xioctl(_fd, V4L2Uapi.SetFormat, &fmt);
        if (e != 0)
        {
            return e;
        }

        // S_FMT returns what the driver chose: size, pixel format and padded stride may all differ from the request.
        if (!Enum.IsDefined((PixelFormat)fmt.PixelFormat) || fmt.Width == 0 || fmt.Height == 0 || fmt.Width > 16384 || fmt.Height > 16384)
        {
            failed = string.Create(CultureInfo.InvariantCulture,
                $"VIDIOC_S_FMT: the driver chose {FrameFormat.FourCc(fmt.PixelFormat)} {fmt.Width}x{fmt.Height}; supported pixel formats: YUYV, NV12, GREY, RGB3, BGR3, MJPG");
            return 0;
        }

        try
        {
            var chosen = (PixelFormat)fmt.PixelFormat;
            format = new FrameFormat(chosen, (int)fmt.Width, (int)fmt.Height,
                chosen == PixelFormat.Mjpeg ? 0 : (int)fmt.BytesPerLine,
                chosen == PixelFormat.Mjpeg ? (int)Math.Max(fmt.SizeImage, fmt.Width * fmt.Height * 3) : 0, // some drivers leave sizeimage 0 for MJPEG
                chosen == PixelFormat.Nv12 ? FrameFormat.Nv12PlaneRows(fmt.SizeImage, (int)fmt.BytesPerLine, (int)fmt.Height) : 0);
        }
        catch (ArgumentException ex)
        {
            failed = $"VIDIOC_S_FMT: unusable format from the driver: {ex.Message}";
            return 0;
        }

        var parm = new V4L2StreamParm { Type = V4L2Uapi.BufTypeVideoCapture, TimePerFrameNumerator = 1, TimePerFrameDenominator = (uint)_options.Fps };
        _ = LibC.Xioctl(_fd, V4L2Uapi.SetParm, &parm); // a camera without frame-rate control keeps its own rate

        var req = new V4L2RequestBuffers { Count = (uint)_options.Buffers, Type = V4L2Uapi.BufTypeVideoCapture, Memory = V4L2Uapi.MemoryMmap };
        failed = "VIDIOC_REQBUFS";
        e = LibC.Xioctl(_fd, V4L2Uapi.ReqBufs, &req);
        if (e != 0)
        {
            return e;
        }

        if (req.Count < 2)
        {
            failed = string.Create(CultureInfo.InvariantCulture, $"VIDIOC_REQBUFS: the driver granted {req.Count} buffers; at least 2 are needed");
            return 0;
        }

        _maps = new nint[req.Count];
        _lengths = new nuint[req.Count];
        for (uint i = 0; i < req.Count; i++)
        {
            var b = new V4L2Buffer { Type = V4L2Uapi.BufTypeVideoCapture, Memory = V4L2Uapi.MemoryMmap, Index = i };
            failed = "VIDIOC_QUERYBUF";
            e = LibC.Xioctl(_fd, V4L2Uapi.QueryBuf, &b);
            if (e != 0)
            {
                return e;
            }

            nint map = LibC.Mmap(0, b.Length, LibC.ProtRead | LibC.ProtWrite, LibC.MapShared, _fd, b.Offset);
            if (map == -1)
            {
                failed = "mmap";
                return System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            }

            _maps[i] = map;
            _lengths[i] = b.Length;
            if (b.Length < (uint)format.FrameBytes && format.PixelFormat != PixelFormat.Mjpeg)
            {
                failed = string.Create(CultureInfo.InvariantCulture, $"VIDIOC_QUERYBUF: buffer {i} holds {b.Length} bytes, a {format} frame needs {format.FrameBytes}");
                return 0;
            }

            failed = "VIDIOC_QBUF";
            e = LibC.Xioctl(_fd, V4L2Uapi.QBuf, &b);
            if (e != 0)
            {
                return e;
            }
        }

        int type = (int)V4L2Uapi.BufTypeVideoCapture;
        failed = "VIDIOC_STREAMON";
        e = LibC.Xioctl(_fd, V4L2Uapi.StreamOn, &type);
        if (e == 0)
        {
            failed = string.Empty;
        }

        return e;
    }

    private void Close()
    {
        if (_fd >= 0)
        {
            int type = (int)V4L2Uapi.BufTypeVideoCapture;
            _ = LibC.Xioctl(_fd, V4L2Uapi.StreamOff, &type);
        }

        for (int i = 0; i < _maps.Length; i++)
        {
            if (_maps[i] != 0)
            {
                _ = LibC.Munmap(_maps[i], _lengths[i]);
            }
        }

        _maps = [];
        _lengths = [];
        if (_fd >= 0)
        {
            _ = LibC.Close(_fd);
            _fd = -1;
        }
    }

    private static string CString(byte* p, int max)
    {
        int n = 0;
        while (n < max && p[n] != 0)
        {
            n++;
        }

        return System.Text.Encoding.UTF8.GetString(p, n);
    }
}
