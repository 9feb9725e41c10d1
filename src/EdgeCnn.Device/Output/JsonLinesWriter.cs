using System.Buffers;
using System.Text.Json;

namespace EdgeCnn.Device.Output;

/// <summary>
/// One JSON object per line to a stream (stdout or a file), for log collectors and for the tests that read them back.
/// The writer and its buffer are reused, so writing a line allocates nothing; each line reaches the stream whole, in
/// one write, and is flushed (a reader polling the file never sees half a line).
/// </summary>
public sealed class JsonLinesWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;

    public JsonLinesWriter(Stream stream, bool ownsStream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _ownsStream = ownsStream;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false, SkipValidation = false });
    }

    /// <summary>"stdout", or a file path (appended to; created if missing).</summary>
    public static JsonLinesWriter Open(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return string.Equals(target, "stdout", StringComparison.Ordinal)
            ? new JsonLinesWriter(Console.OpenStandardOutput(), ownsStream: true)
            : new JsonLinesWriter(new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0), ownsStream: true);
    }

    /// <summary>Starts a line: write properties into the returned writer, then call <see cref="EndLine"/>.</summary>
    public Utf8JsonWriter BeginLine()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        return _json;
    }

    public void EndLine()
    {
        _json.WriteEndObject();
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        _stream.Write(_buffer.WrittenSpan);
        _stream.Flush();
    }

    public void Dispose()
    {
        _json.Dispose();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
