namespace EdgeCnn.Device.Gpio;

/// <summary>A GPIO operation failed: the message names the device, the line, the ioctl and the errno.</summary>
public sealed class GpioException : Exception
{
    public GpioException(string message)
        : base(message)
    {
    }

    public GpioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GpioException()
    {
    }
}
