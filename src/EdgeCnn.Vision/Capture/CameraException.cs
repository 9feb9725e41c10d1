namespace EdgeCnn.Vision.Capture;

/// <summary>A camera failure that reconnecting cannot fix: the message names the device, the ioctl and the errno.</summary>
public sealed class CameraException : Exception
{
    public CameraException(string device, string operation, int errno, string detail)
        : base($"{device}: {operation} failed: {(errno != 0 ? LibC.ErrorText(errno) + (detail.Length > 0 ? ": " : string.Empty) : string.Empty)}{detail}")
    {
        Device = device;
        Errno = errno;
    }

    public CameraException()
        : this("camera", "open", 0, "unknown error")
    {
    }

    public CameraException(string message)
        : base(message)
    {
        Device = string.Empty;
    }

    public CameraException(string message, Exception innerException)
        : base(message, innerException)
    {
        Device = string.Empty;
    }

    public string Device { get; }

    public int Errno { get; }
}
