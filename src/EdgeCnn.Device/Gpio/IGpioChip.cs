namespace EdgeCnn.Device.Gpio;

/// <summary>
/// A GPIO controller that hands out output lines: <see cref="GpioChip"/> on /dev/gpiochipN, or a fake in tests. Rules
/// drive lines only through this seam.
/// </summary>
public interface IGpioChip : IDisposable
{
    /// <summary>The chip's name for messages (its device path).</summary>
    string Name { get; }

    /// <summary>Requests one line as an output, driven to <paramref name="initial"/> (logical value: active-low inverts it).</summary>
    IGpioOutput RequestOutput(int offset, string consumer, bool activeLow, bool initial);
}

/// <summary>One requested output line. Setting it allocates nothing; disposing releases it.</summary>
public interface IGpioOutput : IDisposable
{
    int Offset { get; }

    bool Value { get; }

    /// <summary>Drives the line to a logical value (1 = active).</summary>
    void Set(bool value);
}
