using System.Text;
using System.Text.Json;
using EdgeCnn.Device.Output;

namespace EdgeCnn.Device.Tests.Output;

public class JsonLinesWriterTests
{
    private static readonly JsonEncodedText s_frame = JsonEncodedText.Encode("frame");
    private static readonly JsonEncodedText s_label = JsonEncodedText.Encode("label");

    [Fact]
    public void Each_line_is_one_json_object_and_writing_allocates_nothing()
    {
        var stream = new MemoryStream(1 << 20);
        using var writer = new JsonLinesWriter(stream, ownsStream: false);
        JsonEncodedText label = JsonEncodedText.Encode("Ankle \"boot\"");
        for (int warm = 0; warm < 3; warm++)
        {
            Write(writer, warm, label);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 3; i < 200; i++)
        {
            Write(writer, i, label);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        using JsonDocument doc = JsonDocument.Parse(lines[123]);
        Assert.Equal(123, doc.RootElement.GetProperty("frame").GetInt32());
        Assert.Equal("Ankle \"boot\"", doc.RootElement.GetProperty("label").GetString());
    }

    [Fact]
    public void A_file_target_is_appended_to()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"old\":1}\n");
            using (JsonLinesWriter w = JsonLinesWriter.Open(path))
            {
                Write(w, 7, JsonEncodedText.Encode("x"));
            }

            Assert.Equal(["{\"old\":1}", "{\"frame\":7,\"label\":\"x\"}"], File.ReadAllLines(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Write(JsonLinesWriter writer, int frame, JsonEncodedText label)
    {
        Utf8JsonWriter json = writer.BeginLine();
        json.WriteNumber(s_frame, frame);
        json.WriteString(s_label, label);
        writer.EndLine();
    }
}
