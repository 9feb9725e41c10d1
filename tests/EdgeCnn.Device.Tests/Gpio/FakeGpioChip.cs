using EdgeCnn.Device.Gpio;

namespace EdgeCnn.Device.Tests.Gpio;

/// <summary>A GPIO chip in memory: records every request and every value written, so rules are tested without hardware.</summary>
public sealed class FakeGpioChip(string name = "/dev/gpiochip-fake", int lines = 8) : IGpioChip
{
    public string Name { get; } = name;

    public IDictionary<int, FakeLine> Requested { get; } = new Dictionary<int, FakeLine>();

    public bool Disposed { get; private set; }

    public IGpioOutput RequestOutput(int offset, string consumer, bool activeLow, bool initial)
    {
        if (offset < 0 || offset >= lines)
        {
            throw new GpioException($"{Name}: line {offset} does not exist");
        }

        if (Requested.ContainsKey(offset))
        {
            throw new GpioException($"{Name}: GPIO_V2_GET_LINE_IOCTL for line {offset} as output failed: errno 16 (Device or resource busy)");
        }

        var line = new FakeLine(offset, initial);
        Requested.Add(offset, line);
        return line;
    }

    public void Dispose() => Disposed = true;

    public sealed class FakeLine(int offset, bool value) : IGpioOutput
    {
        public int Offset { get; } = offset;

        public bool Value { get; private set; } = value;

        /// <summary>Every value written, in order.</summary>
        public IList<bool> Writes { get; } = new List<bool>(capacity: 4096); // pre-sized: recording allocates nothing

        public bool Released { get; private set; }

        public void Set(bool value)
        {
            ObjectDisposedException.ThrowIf(Released, this);
            Value = value;
            Writes.Add(value);
        }

        public void Dispose() => Released = true;
    }
}
