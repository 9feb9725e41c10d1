using System.Globalization;
using System.Text;
using EdgeCnn.Device.Native;

namespace EdgeCnn.Device.Gpio;

/// <summary>
/// A GPIO controller through its character device (/dev/gpiochipN) and the v2 uAPI: GPIO_V2_GET_LINE_IOCTL requests a
/// line as an output with its initial value in one call (no glitch), GPIO_V2_LINE_SET_VALUES_IOCTL drives it.
/// </summary>
public sealed unsafe class GpioChip : IGpioChip
{
    private int _fd;

    public GpioChip(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Name = path;
        _fd = LibC.Open(path, LibC.ORdWr | LibC.OCloExec);
        if (_fd < 0)
        {
            throw new GpioException($"{path}: open failed: {LibC.ErrorText(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }

        GpioChipInfo info;
        if (LibC.IoctlRetry(_fd, GpioUapi.GetChipInfo, &info, out int errno) < 0)
        {
            LibC.Close(_fd);
            throw new GpioException($"{path}: GPIO_GET_CHIPINFO_IOCTL failed: {LibC.ErrorText(errno)} (not a GPIO character device?)");
        }

        Lines = (int)info.Lines;
        Label = CString(info.Label, 32);
    }

    public string Name { get; }

    public string Label { get; }

    public int Lines { get; }

    public IGpioOutput RequestOutput(int offset, string consumer, bool activeLow, bool initial)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        ArgumentNullException.ThrowIfNull(consumer);
        if (offset < 0 || offset >= Lines)
        {
            throw new GpioException(string.Create(CultureInfo.InvariantCulture, $"{Name}: line {offset} does not exist ({Label} has lines 0 to {Lines - 1})"));
        }

        var request = default(GpioV2LineRequest);
        request.Offsets[0] = (uint)offset;
        request.NumLines = 1;
        byte[] name = Encoding.UTF8.GetBytes(consumer);
        for (int i = 0; i < Math.Min(name.Length, 31); i++)
        {
            request.Consumer[i] = name[i];
        }

        request.ConfigFlags = GpioUapi.FlagOutput | (activeLow ? GpioUapi.FlagActiveLow : 0);
        request.ConfigNumAttrs = 1;
        request.Attr0Id = GpioUapi.AttrIdOutputValues;
        request.Attr0Value = initial ? 1UL : 0UL;
        request.Attr0Mask = 1;
        if (LibC.IoctlRetry(_fd, GpioUapi.GetLine, &request, out int errno) < 0)
        {
            throw new GpioException(string.Create(CultureInfo.InvariantCulture,
                $"{Name}: GPIO_V2_GET_LINE_IOCTL for line {offset} as output failed: {LibC.ErrorText(errno)}{(errno == 16 ? " (the line is used by another consumer)" : string.Empty)}"));
        }

        return new Line(Name, offset, request.Fd, initial);
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            LibC.Close(_fd);
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

        return Encoding.UTF8.GetString(p, n);
    }

    private sealed class Line(string chip, int offset, int fd, bool value) : IGpioOutput
    {
        private int _fd = fd;

        public int Offset { get; } = offset;

        public bool Value { get; private set; } = value;

        public void Set(bool value)
        {
            ObjectDisposedException.ThrowIf(_fd < 0, this);
            var values = new GpioV2LineValues { Bits = value ? 1UL : 0UL, Mask = 1 };
            if (LibC.IoctlRetry(_fd, GpioUapi.LineSetValues, &values, out int errno) < 0)
            {
                throw new GpioException(string.Create(CultureInfo.InvariantCulture, $"{chip}: GPIO_V2_LINE_SET_VALUES_IOCTL on line {Offset} failed: {LibC.ErrorText(errno)}"));
            }

            Value = value;
        }

        public void Dispose()
        {
            if (_fd >= 0)
            {
                LibC.Close(_fd);
                _fd = -1;
            }
        }
    }
}
